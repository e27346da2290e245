"""The PyTorch side of `npm run bench:nanogpt`: the Mini GPT (nanoGPT's shakespeare_char CPU config) trained on the
token ids and batch offsets bench/nanogpt.ts wrote, with the same schedule, 2 threads. Prints one JSON object.

Model as Wordloom's Mini GPT template: token embedding + learned positions, 4 pre-norm blocks (fused qkv, causal
softmax attention, 4x MLP with exact GELU), final LayerNorm, head tied to the embedding without bias. Init as
nanoGPT's (normal 0.02, residual projections 0.02/sqrt(2L)). AdamW as Wordloom's: decay on matrices only.

Usage: python3 bench/nanogpt_torch.py '{"dir": ..., "steps": 2000, ...}'
    trains every step and prints one JSON object;
python3 bench/nanogpt_torch.py --serve '{...}'
    prints {"ready": true}, then for each line "train N" trains the next N steps and prints {"step": ...}, and for
    "result" prints that JSON object: bench/nanogpt.ts takes turns with it, so that a slow spell of the machine
    falls on both sides.
"""
import json
import math
import os
import sys
import time

# OpenMP threads that spin while they wait fight OpenBLAS' own threads for this machine's cores: on the 2-vCPU VM
# of the bench the Mini GPT step took a median 142-194 ms with libgomp's default, 54-57 ms with passive waiting
# (and the LSTM LM 171-225 against 56-63). PyTorch is timed at its faster setting unless the caller chose one.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402 (after the OpenMP setting, which libgomp reads when it loads)
import torch.nn as nn
import torch.nn.functional as F

from torch_block import Block

torch.set_num_threads(2)


class Gpt(nn.Module):
    def __init__(self, V, T, D, H, L):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Parameter(torch.zeros(T, D))
        self.blocks = nn.ModuleList(Block(D, H) for _ in range(L))
        self.ln = nn.LayerNorm(D)
        self.register_buffer("mask", torch.triu(torch.full((T, T), -1e9), 1))
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * L) if name.endswith(("proj.weight", "fc2.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, tokens):
        x = self.wte(tokens) + self.wpe[: tokens.shape[1]]
        for b in self.blocks:
            x = b(x, self.mask)
        return self.ln(x) @ self.wte.weight.t()  # tied head, no bias


def lr_at(step, c):
    """core/train/schedule.ts learningRateAt: linear warmup, then cosine to learningRate * minLrRatio."""
    peak, steps = c["learningRate"], c["steps"]
    warm = min(c["warmupSteps"], max(0, steps - 1))
    if step < warm:
        return peak * (step + 1) / (warm + 1)
    span = max(1, steps - warm)
    progress = min(1.0, (step - warm) / span)
    low = peak * c["minLrRatio"]
    return low + 0.5 * (peak - low) * (1 + math.cos(math.pi * progress))


def read_i32(path):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.int32).to(torch.long)


def windows(ids, offsets, T):
    idx = offsets.unsqueeze(1) + torch.arange(T + 1).unsqueeze(0)  # (B, T+1)
    w = ids[idx]
    return w[:, :-1], w[:, 1:]


class Run:
    """The PyTorch run, advanced a number of steps at a time, so that bench/nanogpt.ts can take turns with it."""

    def __init__(self, c):
        self.c = c
        torch.manual_seed(c["seed"])
        d, B, T = c["dir"], c["B"], c["T"]
        self.train, val = read_i32(os.path.join(d, "train.i32")), read_i32(os.path.join(d, "val.i32"))
        self.train_off = read_i32(os.path.join(d, "train_offsets.i32"))
        val_off = read_i32(os.path.join(d, "val_offsets.i32"))
        self.model = Gpt(c["V"], T, c["D"], c["H"], c["L"])
        decay = [p for p in self.model.parameters() if p.dim() >= 2]
        rest = [p for p in self.model.parameters() if p.dim() < 2]
        self.opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": c["weightDecay"]}, {"params": rest, "weight_decay": 0.0}],
            lr=c["learningRate"],
            betas=(0.9, 0.99),
            eps=1e-8,
        )
        self.val_batches = [windows(val, val_off[i * B : (i + 1) * B], T) for i in range(c["evalBatches"])]
        self.curve, self.step_ms, self.train_s, self.wall_s, self.step = [], [], 0.0, 0.0, 0

    def advance(self, n):
        """Trains the next n steps (fewer at the end), evaluating where due; their wall time adds to wall_s."""
        c, B, T = self.c, self.c["B"], self.c["T"]
        start = time.perf_counter()
        for step in range(self.step, min(c["steps"], self.step + n)):
            x, y = windows(self.train, self.train_off[step * B : (step + 1) * B], T)
            t0 = time.perf_counter()
            for g in self.opt.param_groups:
                g["lr"] = lr_at(step, c)
            logits = self.model(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), c["gradClip"])
            self.opt.step()
            loss.item()
            dt = time.perf_counter() - t0
            self.train_s += dt
            self.step_ms.append(dt * 1000)
            self.step = step + 1
            if self.step % c["evalEvery"] == 0 or self.step == c["steps"]:
                self.model.eval()
                with torch.no_grad():
                    losses = [
                        F.cross_entropy(self.model(vx).reshape(-1, c["V"]), vy.reshape(-1)).item()
                        for vx, vy in self.val_batches
                    ]
                self.model.train()
                val_loss = sum(losses) / len(losses)
                self.curve.append({"step": self.step, "valLoss": val_loss, "trainSeconds": self.train_s})
                print(f"pytorch step {self.step}: val {val_loss:.4f} ({self.train_s:.1f} s training)", file=sys.stderr)
        self.wall_s += time.perf_counter() - start

    def result(self):
        ms = sorted(self.step_ms)
        return {
            "curve": self.curve,
            "wallSeconds": self.wall_s,
            "trainSeconds": self.train_s,
            "medianStepMs": ms[len(ms) // 2],
            "threads": torch.get_num_threads(),
            "version": torch.__version__,
        }


def main():
    if sys.argv[1] == "--serve":
        run = Run(json.loads(sys.argv[2]))
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            words = line.split()
            if words and words[0] == "train":
                run.advance(int(words[1]))
                print(json.dumps({"step": run.step}), flush=True)
            elif words and words[0] == "result":
                print(json.dumps(run.result()), flush=True)
        return
    run = Run(json.loads(sys.argv[1]))
    run.advance(run.c["steps"])
    print(json.dumps(run.result()))


if __name__ == "__main__":
    main()
