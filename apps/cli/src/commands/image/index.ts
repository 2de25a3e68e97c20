import type { Command } from '../../registry';
import { imageDeleteCommand } from './delete';
import { imageImportCommand } from './import';
import { imageGetCommand, imageListCommand } from './list';
import { imageUploadCommand } from './upload';

/** `novacron image ...`: the image library. */
export const imageCommands: Command[] = [imageListCommand, imageGetCommand, imageImportCommand, imageUploadCommand, imageDeleteCommand];
