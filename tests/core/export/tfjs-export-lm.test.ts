import { describe, expect, it } from 'vitest';
import { templateFiles } from '../templates/load-templates';
import { exportCaseTest, HEAD_CASES, LM_CASES } from './tfjs-cases';

// Two files, so vitest runs the templates on both cores.
it('every template is exported by this file or tfjs-export-heads.test.ts', () => {
  expect([...LM_CASES, ...HEAD_CASES].map((c) => c.template).sort()).toEqual(templateFiles());
});

describe('tf.js export of next-token templates', () => LM_CASES.forEach(exportCaseTest));
