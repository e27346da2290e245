import { describe } from 'vitest';
import { exportCaseTest, HEAD_CASES } from './tfjs-cases';

describe('tf.js export of classifier and tagger templates', () => HEAD_CASES.forEach(exportCaseTest));
