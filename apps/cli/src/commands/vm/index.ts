import type { Command } from '../../registry';
import { vmCloneCommand } from './clone';
import { vmConsoleCommand } from './console';
import { vmCreateCommand } from './create';
import { vmDeleteCommand } from './delete';
import { vmGetCommand } from './get';
import { vmListCommand } from './list';
import { vmPowerCommands, vmShutdownCommand } from './power';
import { vmSetCommand } from './set';
import { vmSnapshotCreateCommand, vmSnapshotDeleteCommand, vmSnapshotListCommand, vmSnapshotRevertCommand } from './snapshot';

/** `novacron vm ...`: virtual machines. */
export const vmCommands: Command[] = [
  vmListCommand, vmGetCommand, vmCreateCommand, vmSetCommand, ...vmPowerCommands, vmShutdownCommand, vmDeleteCommand, vmCloneCommand,
  vmSnapshotListCommand, vmSnapshotCreateCommand, vmSnapshotRevertCommand, vmSnapshotDeleteCommand, vmConsoleCommand,
];
