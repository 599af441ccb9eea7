"""Paper eq. 3 with a fake UNet whose three outputs are known."""

import torch

from dialogpaint.editing.guidance import BATCH_ORDER, DualGuidance


def fake_eps():
    # rows in BATCH_ORDER: image+text, image, none
    full, image, none = torch.full((1, 4, 2, 2), 5.0), torch.full((1, 4, 2, 2), 3.0), torch.full((1, 4, 2, 2), 1.0)
    return torch.cat([full, image, none])


def test_batch_order_is_written_once():
    assert BATCH_ORDER == ("image+text", "image", "none")


def test_eq3_algebra():
    g = DualGuidance(text_guidance=7.5, image_guidance=1.5)
    out = g.combine(fake_eps())
    # 1 + 1.5 * (3 - 1) + 7.5 * (5 - 3) = 19
    assert out.shape == (1, 4, 2, 2)
    assert torch.allclose(out, torch.full_like(out, 19.0))


def test_text_guidance_one_keeps_image_guidance():
    # diffusers turns all guidance off when s_T <= 1; eq. 3 does not
    out = DualGuidance(text_guidance=1.0, image_guidance=2.0).combine(fake_eps())
    assert torch.allclose(out, torch.full_like(out, 1 + 2.0 * 2 + 1.0 * 2))  # 7, not the plain full prediction 5


def test_unit_scales_give_the_conditional_prediction():
    out = DualGuidance(1.0, 1.0).combine(fake_eps())
    assert torch.allclose(out, torch.full_like(out, 5.0))


def test_zero_scales_give_the_unconditional_prediction():
    out = DualGuidance(0.0, 0.0).combine(fake_eps())
    assert torch.allclose(out, torch.full_like(out, 1.0))


def test_conditions_and_prepare_follow_batch_order():
    img = torch.randn(1, 4, 3, 3)
    text, null = torch.randn(1, 5, 8), torch.randn(1, 5, 8)
    image_cond, text_cond = DualGuidance.conditions(img, text, null)
    assert torch.equal(image_cond[0], img[0]) and torch.equal(image_cond[1], img[0])
    assert torch.count_nonzero(image_cond[2]) == 0  # null image = zero latent
    assert torch.equal(text_cond[0], text[0]) and torch.equal(text_cond[1], null[0]) and torch.equal(text_cond[2], null[0])
    z = torch.randn(1, 4, 3, 3)
    x = DualGuidance.prepare(z, image_cond)
    assert x.shape == (3, 8, 3, 3)
    assert all(torch.equal(x[i, :4], z[0]) for i in range(3))


class FakeUNet(torch.nn.Module):
    """Returns 5/3/1 depending on which conditions each batch row carries, and counts its calls."""

    def __init__(self, latent_c=4):
        super().__init__()
        self.latent_c = latent_c
        self.calls = []

    def forward(self, x, t, encoder_hidden_states, return_dict=False):
        self.calls.append(x.shape[0])
        has_image = x[:, self.latent_c:].flatten(1).abs().sum(1) > 0
        has_text = encoder_hidden_states.flatten(1).abs().sum(1) > 0
        val = torch.where(has_image & has_text, 5.0, torch.where(has_image, 3.0, 1.0))
        return (val[:, None, None, None].expand(-1, self.latent_c, *x.shape[2:]).clone(),)


def test_pipeline_makes_one_call_of_three_per_step_and_applies_eq3(tiny_components, scene, monkeypatch):
    from dialogpaint.editing import InstructPix2PixEditor

    editor = InstructPix2PixEditor.from_components(**tiny_components, device="cpu")
    real_unet = editor.unet
    fake = FakeUNet()
    fake.config = real_unet.config
    editor.unet = fake
    # the null text must encode to zeros for the fake to tell the rows apart
    monkeypatch.setattr(editor, "encode_text", lambda s: torch.zeros(1, 77, 32) if s == "" else torch.ones(1, 77, 32))
    editor._null_text = None
    seen = []
    import dialogpaint.editing.pipeline as pl

    orig = pl.DualGuidance.combine

    def spy(self, eps):
        out = orig(self, eps)
        seen.append(out.flatten()[0].item())
        return out

    monkeypatch.setattr(pl.DualGuidance, "combine", spy)
    editor.edit(scene, "x", steps=4, text_guidance=7.5, image_guidance=1.5, seed=0, scheduler="ddim")
    assert fake.calls == [3, 3, 3, 3]
    assert seen == [19.0] * 4
