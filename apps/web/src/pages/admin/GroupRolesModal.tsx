import type { Group } from '@novacron/api';
import { Modal, Stack, Text } from '@mantine/core';
import { useSetGroupRoles } from '../../api/hooks/groups.hooks';
import { DialogActions } from '../../components/DialogActions';
import { useTenantOptions } from './pickers';
import { GLOBAL_SCOPE, RoleBindingsEditor } from './RoleBindingsEditor';
import { useBindingsDraft } from './use-bindings-draft';

/** Edits a group's role bindings. A tenant's group binds on its tenant only; a global group anywhere. */
export function GroupRolesModal({ group, onClose }: { group: Group | null; onClose: () => void }) {
  const tenants = useTenantOptions();
  const save = useSetGroupRoles();
  const [bindings, setBindings] = useBindingsDraft(group, save);

  // The server refuses other scopes for a tenant's group; offering only the valid one saves a round trip.
  const scopes = group?.tenantId
    ? [{ value: group.tenantId, label: tenants.nameOf(group.tenantId) }]
    : [{ value: GLOBAL_SCOPE, label: 'All tenants' }, ...tenants.options];
  const submit = () => {
    if (!group) return;
    save.mutate({ params: { id: group.id }, body: bindings }, { onSuccess: onClose });
  };

  return (
    <Modal opened={!!group} onClose={onClose} title={group ? `Roles of group ${group.name}` : ''} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">Every member holds these roles, in addition to their own.</Text>
        <RoleBindingsEditor
          key={group?.id ?? ''}
          bindings={bindings}
          onChange={setBindings}
          scopes={scopes}
          defaultScope={group ? (group.tenantId ?? GLOBAL_SCOPE) : null}
          tableLabel="Group role bindings"
          emptyText="No roles: membership gives nothing yet."
        />
        <DialogActions error={save.error} errorTitle="Could not change the roles" onCancel={onClose} submitLabel="Save roles" pending={save.isPending} onSubmit={submit} />
      </Stack>
    </Modal>
  );
}
