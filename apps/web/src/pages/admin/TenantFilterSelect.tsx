import { Select } from '@mantine/core';
import { useTenantOptions } from './pickers';

/** The "Tenant" filter of an admin list: empty (cleared) means every tenant the caller can see. */
export function TenantFilterSelect({ value, onChange }: { value: string | null; onChange: (tenant: string | null) => void }) {
  const tenants = useTenantOptions();
  return <Select label="Tenant" placeholder="All tenants" clearable data={tenants.options} value={value} onChange={onChange} w={200} />;
}
