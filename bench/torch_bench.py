"""The benchmark's PyTorch side: the same three models, AdamW, 2 threads.

Usage: python3 bench/torch_bench.py '{"gpt": {...}, "lstm": {...}, "bow": {...}}'
    times each model's steps and prints one JSON object;
python3 bench/torch_bench.py --serve '{...}'
    builds the models, prints {"ready": true, ...}, then for each model name read from stdin runs one step and prints
    {"ms": ...}, so that bench/train-bench.ts can time PyTorch's steps alternately with its own; for a line
    "gemm M K N" it prints {"gmacs": ...}, torch.mm's median multiply-adds per second (billions) on that product.
"""
import json
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
torch.manual_seed(1)


class Gpt(nn.Module):
    def __init__(self, V, T, D, H, L):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Parameter(torch.zeros(T, D))
        self.blocks = nn.ModuleList(Block(D, H) for _ in range(L))
        self.ln, self.bias = nn.LayerNorm(D), nn.Parameter(torch.zeros(V))
        self.register_buffer("mask", torch.triu(torch.full((T, T), -1e9), 1))

    def forward(self, tokens):
        x = self.wte(tokens) + self.wpe
        for b in self.blocks:
            x = b(x, self.mask)
        return self.ln(x) @ self.wte.weight.t() + self.bias  # tied projection


class Lstm(nn.Module):
    def __init__(self, V, E, U):
        super().__init__()
        self.emb, self.lstm, self.out = nn.Embedding(V, E), nn.LSTM(E, U, batch_first=True), nn.Linear(U, V)

    def forward(self, tokens):
        return self.out(self.lstm(self.emb(tokens))[0])


class Bow(nn.Module):
    def __init__(self, V, hidden, C):
        super().__init__()
        self.V, self.fc1, self.fc2 = V, nn.Linear(V, hidden), nn.Linear(hidden, C)

    def forward(self, tokens):
        counts = torch.zeros(tokens.shape[0], self.V).scatter_add_(1, tokens, torch.ones_like(tokens, dtype=torch.float))
        counts[:, 0] = 0  # padding
        return self.fc2(F.relu(self.fc1(counts)))


def one_step(model, opt, x, y):
    """One AdamW step with global-norm clipping; ms."""
    t0 = time.perf_counter()
    logits = model(x)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return (time.perf_counter() - t0) * 1000


def time_model(model, make_batch, steps, warmup=2):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    times = []
    for i in range(warmup + steps):
        x, y = make_batch()
        ms = one_step(model, opt, x, y)
        if i >= warmup:
            times.append(ms)
    times.sort()
    return {"median": times[len(times) // 2], "min": times[0], "max": times[-1]}


def build(name, c):
    """The model `name` of the config and a function that makes one of its batches."""
    tokens = lambda: torch.randint(1, c["V"], (c["B"], c["T"]))
    if name == "gpt":
        return Gpt(c["V"], c["T"], c["D"], c["H"], c["L"]), lambda: (tokens(), tokens())
    if name == "lstm":
        return Lstm(c["V"], c["E"], c["U"]), lambda: (tokens(), tokens())
    if name == "bow":
        return Bow(c["V"], c["hidden"], c["C"]), lambda: (tokens(), torch.randint(0, c["C"], (c["B"],)))
    raise ValueError(f"unknown model {name}")


def serve(cfg):
    models = {}
    for name, c in cfg.items():
        model, make_batch = build(name, c)
        models[name] = (model, make_batch, torch.optim.AdamW(model.parameters(), lr=1e-3))
    print(json.dumps({"ready": True, "threads": torch.get_num_threads(), "version": torch.__version__}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if words and words[0] == "gemm":
            print(json.dumps({"gmacs": gemm_gmacs(*map(int, words[1:4]))}), flush=True)
        elif words:
            model, make_batch, opt = models[words[0]]
            x, y = make_batch()
            print(json.dumps({"ms": one_step(model, opt, x, y)}), flush=True)


def gemm_gmacs(m, k, n, reps=31):
    """Median multiply-adds per second (in billions) of torch.mm on (m, k)·(k, n) float32, after a warm-up."""
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(5):
        torch.mm(a, b)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - start)
    times.sort()
    return m * k * n / times[reps // 2] / 1e9


def main():
    if sys.argv[1] == "--serve":
        serve(json.loads(sys.argv[2]))
        return
    cfg = json.loads(sys.argv[1])
    out = {}
    for name, c in cfg.items():
        model, make_batch = build(name, c)
        out[name] = time_model(model, make_batch, c["steps"])
    out["threads"] = torch.get_num_threads()
    out["version"] = torch.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
