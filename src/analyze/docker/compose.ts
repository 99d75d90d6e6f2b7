/** `docker compose …` (the Compose v2 plugin): Compose as a runner, src/analyze/compose/translate.ts. */
import type { CommandAnalyzer } from '../command.js';
import { analyzeCompose } from '../compose/translate.js';

export const verbs = [['compose']];

export const analyze: CommandAnalyzer = (call, sink) => analyzeCompose(call, sink, 2);
