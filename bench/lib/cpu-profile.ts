import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package (`fastify`, `zod`), an app file, or node internals. */
function moduleOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  const app = url.match(/\/(apps|packages)\/(.+)$/);
  return app ? `${app[1]}/${app[2]}` : url;
}

/** Self time by function and by module from a V8 `.cpuprofile`, as printable lines (top `n` each). */
export function summarizeProfile(path: string, n = 20): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id)!;
    const m = moduleOf(f.url);
    const key = `${f.functionName || '(anonymous)'}  ${m}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  const top = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  return [`CPU profile ${path} (${(total / 1e6).toFixed(1)} s sampled)`, 'Self time by module:', ...top(mod), 'Self time by function:', ...top(fn)].join('\n');
}
