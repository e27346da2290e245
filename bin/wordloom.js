#!/usr/bin/env node
// The `wordloom` CLI (docs/cli.md): plain JS that lets Node load core/ TypeScript through tsx, then runs it.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
