#!/usr/bin/env node
// The `novacron` command: registers tsx's loader in this process (what `node --import tsx` does), then runs the TypeScript entry.
// In-process rather than a child `node --import tsx` so signals, stdin and the exit code need no forwarding.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
