import { ApiError } from '@novacron/api';
import { explainRejection, place, type PlacementRequest } from '../scheduler/place';
import type { ComputeDeps } from './compute-deps';

/** The best node for a request, or NO_NODE_AVAILABLE with the reason each node was rejected. */
export async function pickNode(deps: Pick<ComputeDeps, 'nodes' | 'hub'>, req: PlacementRequest): Promise<string> {
  const snapshots = await deps.nodes.snapshots((id) => deps.hub.isOnline(id));
  const placement = place(req, snapshots);
  const best = placement.candidates[0];
  if (!best) throw new ApiError('NO_NODE_AVAILABLE', `no node can take it: ${explainRejection(placement)}`);
  return best.nodeId;
}
