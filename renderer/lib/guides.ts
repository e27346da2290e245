import { GRAPH_FORMAT, GRAPH_VERSION, type Graph } from '../../core/graph/model';
import type { ProjectTraining } from '../../core/project/schema';
import type { GuideId } from '../store/guideSlice';

/** One step of a guided project: what to click, what to look for, and why it matters. */
export interface GuideStep {
  title: string;
  /** The clicks, in order. */
  actions: readonly string[];
  look: string;
  why: string;
}

export interface Guide {
  id: GuideId;
  title: string;
  /** One line for the start screen card. */
  summary: string;
  /** The template the project opens with (or a graph of its own), and the training setup it starts from. */
  template: string;
  graph?: Graph;
  training: Partial<ProjectTraining>;
  steps: readonly GuideStep[];
}

const node = (id: string, type: string, params: Graph['nodes'][number]['params'] = {}) => ({ id, type, params, position: { x: 0, y: 0 } });
const wire = (ids: string[]): Graph['edges'] =>
  ids.slice(1).map((to, i) => ({ id: `e${i + 1}`, from: { node: ids[i], port: 'out' }, to: { node: to, port: 'in' } }));

/** The Transfer project's LM: the graph tests/core/run/transfer.test.ts pre-trains before its head swap. */
export const REVIEW_LM: Graph = {
  format: GRAPH_FORMAT,
  version: GRAPH_VERSION,
  name: 'Review LM',
  description:
    'A one-block transformer language model for the Transfer guided project: pre-train it on review sentences, then swap its NextTokenHead for a MeanPool and a ClassifierHead.',
  nodes: [
    node('in', 'TokenInput', { seqLen: 32 }),
    node('emb', 'Embedding', { dim: 64 }),
    node('pos', 'PositionalEncoding', { kind: 'sinusoidal' }),
    node('block', 'TransformerBlock', { heads: 4, ffMultiplier: 2 }),
    node('lm_head', 'NextTokenHead'),
  ],
  edges: wire(['in', 'emb', 'pos', 'block', 'lm_head']),
};

/**
 * The two guided projects of issue 11: the lecture's pipeline (pre-train, then instruction-tune) and transfer to a
 * classifier by a head swap. The numbers quoted are what tests/core/run measured on bundled data with fixed seeds.
 */
export const GUIDES: readonly Guide[] = [
  {
    id: 'gpt-to-chatgpt',
    title: 'From GPT to ChatGPT',
    summary:
      'Pre-train the Mini GPT on Shakespeare, fine-tune it on questions and answers, compare it with the same model trained from scratch, and ask both.',
    template: 'mini-gpt',
    training: { dataset: 'shakespeare', tokenizer: 'char', steps: 300, evalEvery: 50 },
    steps: [
      {
        title: 'Pre-train a foundation model',
        actions: [
          'Open the Train tab under the canvas: the data is already shakespeare with the char tokenizer, 300 steps.',
          'Click Train.',
          'When it is done, open Generate and continue "ROMEO:".',
        ],
        look: 'The loss starts near ln(67) ≈ 4.2 (a uniform guess over the characters) and falls towards 2.5; the generated text has Shakespeare’s line breaks, names and spelling, but no meaning.',
        why: 'Pre-training is next-token prediction on raw text. The model learns what text looks like; it completes text, it does not answer.',
      },
      {
        title: 'Fine-tune it on instructions',
        actions: [
          'In the Train tab, click Fine-tune… next to the finished run.',
          'Choose the data instructions (questions → answers). The tokenizer stays the pre-trained one.',
          'Optionally click Freeze blocks and click the Embedding on the canvas: it turns blue with a ❄ and keeps its weights.',
          'Set 100 steps and click Train.',
        ],
        look: 'The new run’s loss starts far below where a fresh model starts, and drops fast. Tick “continue the parent’s steps” on the chart to see it carry on from step 300.',
        why: 'Instruction fine-tuning keeps the objective (the next token) but changes the data to prompt → answer, with the loss on the answer only: the same model is steered to answer. That is the step from GPT to ChatGPT.',
      },
      {
        title: 'Compare with the same model from scratch',
        actions: [
          'Click Compare with scratch next to the fine-tuned run.',
          'It trains the same graph on the same data for the same steps from random weights, then opens Compare with both runs.',
        ],
        look: 'At the same step the fine-tuned run’s validation loss is lower (in our test of a smaller model, 2.62 against 3.21 after 100 steps) and its chrF, the character overlap of its answers with the reference, is higher.',
        why: 'What pre-training learned (spelling, words, grammar) transfers: the fine-tuned model only has to learn the new task.',
      },
      {
        title: 'Ask both',
        actions: [
          'Select a run, open the Ask tab and type a question, e.g. “What is the capital of France?”. Click Ask.',
          'Click Held-out prompts to see answers to validation questions beside the human reference.',
        ],
        look: 'The prompt is framed exactly as training framed it (prompt, separator, answer until the end token). A small model answers in the right form more than with the right facts.',
        why: 'The form of the answer comes from fine-tuning; the knowledge has to come from pre-training, which is why real assistants pre-train on far more text.',
      },
    ],
  },
  {
    id: 'transfer',
    title: 'Transfer',
    summary:
      'Pre-train a small transformer language model on review sentences, swap its next-token head for a classifier, fine-tune on sentiment and compare with the same classifier from scratch.',
    template: 'review-lm',
    graph: REVIEW_LM,
    training: { dataset: 'sentiment-text', tokenizer: 'word:3000', steps: 800, evalEvery: 200 },
    steps: [
      {
        title: 'Pre-train a language model on unlabelled reviews',
        actions: [
          'The Train tab’s data is sentiment-text: the 3,000 review sentences without their labels, as plain text, with the word tokenizer (3,000 words).',
          'Click Train (800 steps).',
        ],
        look: 'The loss falls from about ln(3,004) ≈ 8 towards 4.6: the model learns which words follow which in reviews.',
        why: 'Predicting the next word needs no labels, so any text of the domain can teach a model its words and how they combine. ULMFiT made this the first step of transfer learning for text.',
      },
      {
        title: 'Swap the head',
        actions: [
          'Click Fine-tune… next to the finished run.',
          'On the canvas, select the NextTokenHead (lm_head) and press Delete.',
          'Press Space, add a Mean pool and a Classifier head, and wire Transformer block → Mean pool → Classifier head.',
          'Choose the data sentiment (text → positive/negative).',
        ],
        look: 'The Embedding and the Transformer block keep their ids and shapes, so they load the pre-trained weights; the new head starts at random.',
        why: 'The head is the only part that knows the task. Everything below it is a text encoder that a new head can reuse.',
      },
      {
        title: 'Fine-tune',
        actions: ['Set 120 steps and click Train.', 'Optionally, Freeze blocks… first and click the Embedding to keep it as pre-trained.'],
        look: 'The accuracy is above a from-scratch classifier’s from the first evaluations. In our test with 200 labelled reviews: 61.7% against 56.7% right after 120 steps (63.2% against 60.5% with another seed; freezing the Embedding did worse: 57.3%).',
        why: 'With few labels, a model from scratch sees each word a handful of times; the pre-trained one already knows how the words are used.',
      },
      {
        title: 'Compare with the classifier from scratch',
        actions: ['Click Compare with scratch next to the fine-tuned run: the same classifier, data and steps from random weights.'],
        look: 'Read the validation loss and accuracy of both runs at the same step. With all 2,700 labelled rows the gap is smaller: transfer matters most when labels are few.',
        why: 'This is the claim of transfer learning, tested in tests/core/run/transfer.test.ts on fixed seeds.',
      },
    ],
  },
];

export const findGuide = (id: string | null): Guide | undefined => GUIDES.find((g) => g.id === id);
