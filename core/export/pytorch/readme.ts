import type { ExportPlan } from './plan';

const TASK_TEXT: Record<ExportPlan['task'], string> = {
  'next-token': 'a language model: logits (B, T, V) for the next token at every position',
  classify: 'a text classifier: logits (B, C), one score per class in LABELS',
  tag: 'a tagger: logits (B, T, C), one score per tag in LABELS at every token',
};

/** README.md of the PyTorch export: what is inside and how to load, predict, train and run on several GPUs. */
export function readme(
  plan: ExportPlan,
  params: number,
  dataHint: string,
  run: { batchSize: number; learningRate: number; seed: number },
): string {
  const example =
    plan.task === 'next-token'
      ? `ids = tok.encode("To be, or not")
x = torch.tensor([ids[-T:]])                  # (1, t) with t <= T
for _ in range(50):                           # greedy generation
    nxt = model(x[:, -T:])[0, -1].argmax()
    x = torch.cat([x, nxt.view(1, 1)], dim=1)
print(tok.decode(x[0].tolist()))`
      : plan.task === 'classify'
        ? `x = torch.tensor([tok.encode("a fine film")[:T]])
print(LABELS[model(x).argmax(-1).item()])`
        : `ids, first = tok.tokenize_words(["The", "cat", "sat"])
tags = model(torch.tensor([ids[:T]])).argmax(-1)[0]
print([LABELS[t] for t, w in zip(tags.tolist(), first) if w >= 0])`;
  return `# ${plan.name}: PyTorch export

Exported from Wordloom: ${TASK_TEXT[plan.task]}. ${params.toLocaleString('en-US')} parameters; vocabulary V = ${plan.binding.vocabSize} (id 0 is padding), context T = ${plan.seqLen}.

| file | what it is |
|---|---|
| \`model.py\` | the graph as a plain \`nn.Module\`, one attribute per Wordloom node, plus \`load_model()\` |
| \`weights.safetensors\` | the trained weights (float32), keyed by the module's \`state_dict\` names |
| \`tokenizer.json\` | Wordloom's tokenizer and the class or tag names (\`labels\`) |
| \`train.py\` | continue training on a data file, alone or under \`torchrun\` |

It needs only \`torch\` (1.13 or newer). When the \`safetensors\` package is installed it reads the weights; otherwise the small reader in \`model.py\` does.

## Load and predict

\`\`\`python
import torch
from model import LABELS, T, load_model
from train import Tokenizer

model = load_model()                  # eval mode, weights from weights.safetensors
tok = Tokenizer.load("tokenizer.json")
${example}
\`\`\`

Inputs are \`(B, t)\` int64 token ids with \`t <= T\`; pad short rows on the right with 0. Padding is ignored exactly as in Wordloom (attention never looks at it, pools skip it, recurrent layers carry their state over it), so the logits match Wordloom's to float32 rounding.

## Continue training

\`\`\`sh
python train.py --data ${dataHint} --steps 200            # --batch ${run.batchSize} --lr ${run.learningRate} --seed ${run.seed}: the run's settings, train.py's defaults
\`\`\`

It reads the same files Wordloom reads (\`.txt\`, \`.tsv\`, \`.jsonl\`), encodes them with \`tokenizer.json\`, trains with AdamW, prints \`step N loss X\` and writes the weights back to \`weights.safetensors\` (\`--out\` to write elsewhere). Text outside the tokenizer's vocabulary becomes \`<unk>\` (char and word tokenizers); the vocabulary itself does not grow. Training resumes from the exported weights, so a fine-tuned run goes on from where Wordloom left it; \`--from-scratch\` re-initialises every layer first, for a from-scratch baseline on the same data.

## Several GPUs

\`\`\`sh
torchrun --nproc_per_node=4 train.py --data ${dataHint} --steps 200
\`\`\`

Under \`torchrun\` (\`WORLD_SIZE\` > 1) \`train.py\` joins the process group (NCCL on GPUs, Gloo on CPUs), wraps the model in \`DistributedDataParallel\` and gives each process its own batches; \`--batch\` is per process. Only rank 0 prints and saves. On one machine with CPUs only, where the host name does not resolve to a reachable address (a container or sandbox without a network), Gloo can wait forever to connect: set \`GLOO_SOCKET_IFNAME=lo\` to keep it on loopback.

## How it maps to Wordloom

- Dense kernels are stored transposed, as \`nn.Linear\` wants \`(out, in)\`.
- Recurrent layers are written out step by step rather than \`nn.LSTM\`/\`nn.GRU\`, so padding anywhere carries the state exactly as in Wordloom, and because Wordloom's GRU resets \`h\` before the recurrent matmul (Keras \`reset_after=False\`). Gate order is Keras's (LSTM i, f, c, o; GRU z, r, h); gates use the logistic sigmoid.
- LayerNorm epsilon is 1e-5 and GELU is the exact (erf) one, as in Wordloom.
`;
}
