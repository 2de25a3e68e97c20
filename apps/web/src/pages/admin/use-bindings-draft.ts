// The unsaved role bindings of the user or group a roles dialog is editing.
import type { RoleBinding } from '@novacron/api';
import { useEffect, useState } from 'react';

/** A local copy of `owner`'s bindings, taken afresh (and the last save's outcome cleared) whenever another owner opens. */
export function useBindingsDraft(owner: { roles: RoleBinding[] } | null, save: { reset: () => void }) {
  const [bindings, setBindings] = useState<RoleBinding[]>([]);
  useEffect(() => {
    setBindings(owner?.roles ?? []);
    save.reset();
    // Only a different owner restarts the draft: `save` is a new object on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [owner]);
  return [bindings, setBindings] as const;
}
