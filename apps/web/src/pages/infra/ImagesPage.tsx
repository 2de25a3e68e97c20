import { Badge, Button, FileInput, Group, Modal, Progress, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCreateImage, useDeleteImage, useImages } from '../../api/hooks/compute.hooks';
import { keys } from '../../api/query-keys';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/format';
import { uploadImage } from './upload';

const kinds = ['disk', 'iso', 'kernel', 'initrd'];
const bytes = (n: number | null) => (n === null ? '—' : n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`);

function ImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const create = useCreateImage();
  const [source, setSource] = useState('upload');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string | null>('disk');
  const [location, setLocation] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const close = () => { create.reset(); setProgress(null); setError(null); onClose(); };
  const submit = async () => {
    setError(null);
    if (source === 'upload') {
      if (!file) return setError(new Error('Choose a file to upload.'));
      try {
        setProgress(0);
        await uploadImage(file, { name: name.trim(), kind: kind ?? 'disk' }, setProgress);
        void qc.invalidateQueries({ queryKey: keys.images.all });
        notifications.show({ color: 'green', message: `Uploaded ${file.name}; the image is being checked.` });
        close();
      } catch (err) {
        setError(err);
        setProgress(null);
      }
      return;
    }
    const body = { name: name.trim(), kind: kind as 'disk', source: source === 'url' ? { url: location.trim() } : { path: location.trim() } };
    create.mutate({ body }, { onSuccess: close });
  };
  return (
    <Modal opened={opened} onClose={close} title="Add an image">
      <Stack>
        <SegmentedControl aria-label="Source" value={source} onChange={setSource} data={[{ value: 'upload', label: 'Upload' }, { value: 'url', label: 'From URL' }, { value: 'path', label: 'From a path on the node' }]} />
        <TextInput label="Image name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select label="Kind" data={kinds} value={kind} onChange={setKind} allowDeselect={false} />
        {source === 'upload' ? <FileInput label="File" placeholder="Choose a file" value={file} onChange={setFile} clearable /> : (
          <TextInput label={source === 'url' ? 'URL' : 'Path'} placeholder={source === 'url' ? 'https://…/image.qcow2' : '/srv/images/disk.qcow2'} value={location} onChange={(e) => setLocation(e.currentTarget.value)} />
        )}
        {progress !== null ? <Progress value={progress} animated aria-label={`Upload progress ${Math.round(progress)}%`} /> : null}
        <ErrorAlert error={error ?? create.error} title="Could not add the image" />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>Cancel</Button>
          <Button onClick={() => void submit()} loading={create.isPending || progress !== null}>Add image</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The image library: disks, ISOs, kernels, initrds; upload with progress, import from URL or path, delete. */
export default function ImagesPage() {
  const images = useImages();
  const del = useDeleteImage();
  const [adding, setAdding] = useState(false);
  return (
    <Stack>
      <PageHeader title="Images" description="Disk images, ISOs, kernels and initrds VMs boot from."
        actions={<PermissionButton permission="image:write" onClick={() => setAdding(true)}>Add image</PermissionButton>} />
      <QueryState query={images}>
        {(page) => page.items.length === 0 ? <NoData title="No images yet" description="Upload one, or import it from a URL." /> : (
          <Table.ScrollContainer minWidth={800}>
            <Table aria-label="Images" striped>
              <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Status</Table.Th><Table.Th>Size</Table.Th><Table.Th>Source</Table.Th><Table.Th>Added</Table.Th><Table.Th /></Table.Tr></Table.Thead>
              <Table.Tbody>
                {page.items.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td><Text size="sm" fw={500}>{i.name}</Text>{i.sha256 ? <Text size="xs" c="dimmed" ff="monospace">sha256 {i.sha256.slice(0, 12)}…</Text> : null}</Table.Td>
                    <Table.Td>{i.kind}{i.format ? ` (${i.format})` : ''}</Table.Td>
                    <Table.Td><Badge variant="light" color={i.status === 'ready' ? 'green' : i.status === 'error' ? 'red' : 'yellow'}>{i.status}</Badge>{i.error ? <Text size="xs" c="red">{i.error}</Text> : null}</Table.Td>
                    <Table.Td>{bytes(i.sizeBytes)}{i.virtualSizeBytes ? ` (virtual ${bytes(i.virtualSizeBytes)})` : ''}</Table.Td>
                    <Table.Td><Text size="xs" lineClamp={1} title={i.source.detail}>{i.source.type}: {i.source.detail}</Text></Table.Td>
                    <Table.Td><Text size="sm">{formatTime(i.createdAt)}</Text></Table.Td>
                    <Table.Td>
                      <ConfirmButton permission="image:delete" tenantId={i.tenantId} size="xs" variant="subtle" color="red" title="Delete image" confirmLabel="Delete image"
                        message={`Delete ${i.name}? Images used by VMs or volumes cannot be deleted.`} onConfirm={() => del.mutateAsync({ params: { id: i.id } })} aria-label={`Delete ${i.name}`}>
                        Delete
                      </ConfirmButton>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      <ImportModal opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}
