import type { AdminUser } from '@novacron/api';
import { Modal, Stack } from '@mantine/core';
import { useSetUserRoles } from '../../api/hooks/users.hooks';
import { DialogActions } from '../../components/DialogActions';
import { useTenantOptions } from './pickers';
import { GLOBAL_SCOPE, RoleBindingsEditor } from './RoleBindingsEditor';
import { useBindingsDraft } from './use-bindings-draft';

/** Edits a user's role bindings: each a role on one tenant or on every tenant. */
export function UserRolesModal({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const tenants = useTenantOptions();
  const save = useSetUserRoles();
  const [bindings, setBindings] = useBindingsDraft(user, save);

  const submit = () => {
    if (!user) return;
    save.mutate({ params: { id: user.id }, body: bindings }, { onSuccess: onClose });
  };

  return (
    <Modal opened={!!user} onClose={onClose} title={user ? `Roles of ${user.email}` : ''} size="lg">
      <Stack>
        <RoleBindingsEditor
          key={user?.id ?? ''}
          bindings={bindings}
          onChange={setBindings}
          scopes={[{ value: GLOBAL_SCOPE, label: 'All tenants' }, ...tenants.options]}
          defaultScope={user?.tenantId ?? null}
          tableLabel="Role bindings"
          emptyText="No roles: this user can sign in but see nothing."
        />
        <DialogActions error={save.error} errorTitle="Could not change the roles" onCancel={onClose} submitLabel="Save roles" pending={save.isPending} onSubmit={submit} />
      </Stack>
    </Modal>
  );
}
