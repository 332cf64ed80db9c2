// A device's latest command and its state (pending, sent, done, failed), refreshed by polling
// while it is not finished.
import { Label } from '@patternfly/react-core';
import { useCommands, type Device } from './api';

const COLORS: Record<string, 'grey' | 'blue' | 'green' | 'red'> = { pending: 'grey', sent: 'blue', done: 'green', failed: 'red' };

export function CommandState({ device, watched }: { device: Device; watched: boolean }) {
  const cmds = useCommands(device, watched);
  const last = cmds.data?.[0];
  if (!watched || !last) return null;
  return (
    <Label isCompact color={COLORS[last.status] ?? 'grey'} data-testid={`command-${device.displayName ?? device.id}`}>
      {last.type.replace('_', ' ')}: {last.status}
    </Label>
  );
}
