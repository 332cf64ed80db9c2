import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { fieldOf } from '../api/errors';
import { FormModal, TextField } from '../components/FormModal';

export function CreateOrgModal({ pid, onClose, onCreated }: { pid: string; onClose: () => void; onCreated: (id: string) => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [cap, setCap] = useState('');
  const [tags, setTags] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v2/providers/{pid}/organizations', {
          params: { path: { pid } },
          body: {
            name: name.trim(),
            ...(cap ? { maxSystemUsers: Number(cap) } : {}),
            ...(tags.trim() ? { tags: tags.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
          } as never,
        }),
      ) as Promise<{ id?: string }>,
    onSuccess: (o) => {
      void qc.invalidateQueries({ queryKey: ['orgs', pid] });
      void qc.invalidateQueries({ queryKey: ['org-menu'] });
      onCreated(o.id ?? '');
      onClose();
    },
    onError: (e) => {
      const f = fieldOf(e);
      if (f) setInvalid({ [f]: (e as Error).message });
    },
  });
  function submit() {
    const bad: Record<string, string> = {};
    if (!name.trim()) bad.name = 'Enter a name.';
    if (cap && !(Number.isInteger(Number(cap)) && Number(cap) >= 0)) bad.maxSystemUsers = 'A whole number, or empty for no cap.';
    setInvalid(bad);
    if (!Object.keys(bad).length) create.mutate();
  }
  return (
    <FormModal id="create-org" title="Create organization" submitLabel="Create" onSubmit={submit} onClose={onClose} pending={create.isPending} error={create.error}>
      <TextField id="org-name" label="Name" required value={name} onChange={setName} invalid={invalid.name} />
      <TextField id="org-cap" label="User cap (optional)" inputMode="numeric" value={cap} onChange={(v) => setCap(v.trim())} invalid={invalid.maxSystemUsers} />
      <TextField id="org-tags" label="Tags (comma-separated)" value={tags} onChange={setTags} invalid={invalid.tags} />
    </FormModal>
  );
}
