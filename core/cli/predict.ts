import { displayText, safeJson } from '../graph/display';
import { predictionJson } from '../export/tfjs/prediction-json';
import { predict } from '../predict/predict';
import type { Prediction } from '../predict/types';
import { parseArgs } from './args';
import type { CliIO, Command } from './command';
import { UserError } from './errors';
import { numberFlag } from './numbers';
import { openRunArg } from './run-arg';

const USAGE = 'wordloom predict <run-dir> --text "..." [--top K] [--json]';

export const predictCommand: Command = {
  name: 'predict',
  usage: USAGE,
  summary: "Show a trained model's per-token predictions for a text.",
  run: runPredict,
};

async function runPredict(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { text: 'string', top: 'string', json: 'boolean' }, 'predict');
  if (args.booleans.has('help')) {
    io.out(`Usage: ${USAGE}\n`);
    return 0;
  }
  const text = args.strings.text;
  if (text === undefined) throw new UserError(`wordloom predict needs --text (usage: ${USAGE}).`);
  const top = numberFlag(args.strings.top, 'top', { int: true, min: 1, max: 100, fallback: 5 });
  const run = await openRunArg(args.positionals[0], USAGE);
  let result: Prediction;
  try {
    result = await predict(run.predictor, text, top);
  } finally {
    run.model.dispose();
  }
  io.out(args.booleans.has('json') ? `${safeJson(predictionJson(result))}\n` : formatPrediction(result));
  return 0;
}

const pct = (p: number): string => `${(p * 100).toFixed(1)}%`;
const show = (s: string): string => safeJson(s);

function formatPrediction(r: Prediction): string {
  switch (r.kind) {
    case 'next-token':
      return r.tokens
        .map((t) => `${show(t.text).padEnd(12)} → ${t.top.map((x) => `${show(x.token)} ${pct(x.p)}`).join('  ')}\n`)
        .join('');
    case 'tag':
      return r.tokens.map((t) => `${displayText(t.text).padEnd(16)} ${displayText(t.tag).padEnd(6)} ${pct(t.p)}\n`).join('');
    case 'classify': {
      const probs = Object.entries(r.probs)
        .map(([k, v]) => `${displayText(k)} ${pct(v)}`)
        .join(', ');
      const weights = r.tokens
        .map((t) => `${show(t.text)} ${t.weight >= 0 ? '+' : ''}${t.weight.toFixed(3)}`)
        .join('  ');
      return `${displayText(r.label)} (${probs})\nToken weights: ${weights}\n`;
    }
  }
}
