import type { Config } from '../config';
import type { EventBus } from '../events/event-bus';
import type { Clock } from '../lib/clock';
import type { AgentHub } from '../nodes/agent-hub';
import type { NodeService } from '../nodes/node.service';
import type { OperationService } from '../operations/operation.service';
import type { Store } from '../store/db';
import type { BusyGuard } from './busy-guard';
import type { QuotaGuard } from './quota';

/** What the compute services share. */
export interface ComputeDeps {
  config: Config;
  store: Store;
  clock: Clock;
  events: EventBus;
  operations: OperationService;
  hub: AgentHub;
  nodes: NodeService;
  quota: QuotaGuard;
  /** One long action per VM or volume at a time. */
  busy: BusyGuard;
}
