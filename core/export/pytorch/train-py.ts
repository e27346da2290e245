import { dataSource } from './data-py';
import { tokenizerSource } from './tokenizer-py';

/** What train.py takes from the run as its defaults. */
export interface TrainDefaults {
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  gradClip: number;
  seed: number;
  /** Column (TSV) or field (JSONL) names of a bundled set whose names Wordloom does not guess, e.g. en/fr. */
  columns?: [string, string];
}

const pyNum = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/** train.py: continue training the exported model on a data file, alone or under torchrun. */
export function trainPy(d: TrainDefaults): string {
  const columns = d.columns ? JSON.stringify(d.columns.join(',')) : 'None';
  return String.raw`"""Continue training the exported Wordloom model in PyTorch.

    python train.py --data FILE --steps N [--batch B] [--lr X] [--seed S] [--from-scratch]
    torchrun --nproc_per_node=4 train.py --data FILE --steps N      # several GPUs (DistributedDataParallel)

Reads Wordloom's formats: .txt (next-token text), .tsv (text<TAB>label, or prompt/completion columns),
.jsonl (tokens/tags, prompt/completion, instruction/response or text/label); encodes with tokenizer.json;
trains with AdamW (decay on matrices only, gradient clipping as in Wordloom); prints "step N loss X";
writes the weights back to weights.safetensors (or --out). Training resumes from the exported weights (a
fine-tuned run goes on from where Wordloom left it); --from-scratch re-initialises every layer first, to compare.
"""
import argparse
import json
import os
import random
import re
import sys
import unicodedata

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import T, TASK, load_model, save_weights  # noqa: E402

`.concat(
    tokenizerSource,
    '\n\n',
    dataSource,
    '\n\n',
    String.raw`def masked_loss(logits, targets, weights):
    """Mean cross-entropy over the targets with weight > 0 (padding and prompts weigh 0), as Wordloom trains."""
    per = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1), reduction="none")
    w = weights.reshape(-1)
    return (per * w).sum() / w.sum().clamp(min=1.0)


def main():
    ap = argparse.ArgumentParser(description="Continue training the exported Wordloom model.")
    ap.add_argument("--data", required=True, help="a .txt, .tsv or .jsonl file in Wordloom's formats")
    ap.add_argument("--steps", type=int, required=True, help="optimizer steps")
    ap.add_argument("--batch", type=int, default=${d.batchSize}, help="examples per step (per process)")
    ap.add_argument("--lr", type=float, default=${pyNum(d.learningRate)}, help="AdamW learning rate")
    ap.add_argument("--seed", type=int, default=${d.seed})
    ap.add_argument("--weight-decay", type=float, default=${pyNum(d.weightDecay)})
    ap.add_argument("--grad-clip", type=float, default=${pyNum(d.gradClip)}, help="global norm; 0 = off")
    ap.add_argument("--columns", default=${columns}, help="the two TSV columns / JSONL fields to read, e.g. en,fr")
    ap.add_argument("--out", default=os.path.join(HERE, "weights.safetensors"), help="where to save the weights")
    ap.add_argument("--from-scratch", action="store_true",
                    help="re-initialise the layers instead of resuming from the exported weights")
    args = ap.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local = 0, int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local}" if torch.cuda.is_available() else "cpu")
    if world > 1:
        import torch.distributed as dist
        from torch.nn.parallel import DistributedDataParallel

        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
        rank = dist.get_rank()
    if device.type == "cuda":
        torch.cuda.set_device(device)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed + rank)  # each process draws its own batches

    with open(os.path.join(HERE, "tokenizer.json"), encoding="utf-8") as f:
        spec = json.load(f)
    tok = Tokenizer(spec)
    columns = args.columns.split(",") if args.columns else None
    kind, data = read_data(args.data, columns)
    kind, examples = examples_for_task(args.data, kind, data, tok, spec.get("labels", []))
    if not examples:
        sys.exit(f"{args.data} has nothing to train on.")

    model = load_model(HERE, device).train()
    if args.from_scratch:
        for m in model.modules():
            if m is model:
                continue
            if hasattr(m, "reset_parameters"):
                m.reset_parameters()
            else:  # a module owning a bare Parameter (learned positions): GPT-2's N(0, 0.02)
                for p in m.parameters(recurse=False):
                    torch.nn.init.normal_(p, std=0.02)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": args.weight_decay}, {"params": rest, "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.99), eps=1e-8)
    net = DistributedDataParallel(model, device_ids=[local] if device.type == "cuda" else None) if world > 1 else model

    for step in range(1, args.steps + 1):
        tokens, targets, weights = (t.to(device) for t in sample_batch(kind, examples, args.batch, rng))
        loss = masked_loss(net(tokens), targets, weights)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if args.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        optimizer.step()
        shown = loss.detach()
        if world > 1:
            dist.all_reduce(shown)
            shown = shown / world
        if rank == 0:
            print(f"step {step} loss {shown.item():.4f}", flush=True)

    if rank == 0:
        save_weights(model, args.out)
        print(f"saved {args.out}", flush=True)
    if world > 1:
        dist.barrier()  # every rank done before rank 0, which hosts the rendezvous store, can exit
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`,
  );
}
