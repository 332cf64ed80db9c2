import { Button, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, TextInput } from '@patternfly/react-core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { fieldOf } from '../api/errors';
import { FieldError } from '../auth/SignInPage';
import { ErrorAlert } from '../components/ErrorAlert';

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
    <Modal isOpen onClose={onClose} variant="small" aria-labelledby="create-org-title">
      <ModalHeader title="Create organization" labelId="create-org-title" />
      <ModalBody>
        {create.error && !fieldOf(create.error) ? <ErrorAlert error={create.error} /> : null}
        <Form noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
          <FormGroup label="Name" isRequired fieldId="org-name">
            <TextInput id="org-name" value={name} onChange={(_e, v) => setName(v)} validated={invalid.name ? 'error' : 'default'} />
            {invalid.name && <FieldError text={invalid.name} />}
          </FormGroup>
          <FormGroup label="User cap (optional)" fieldId="org-cap">
            <TextInput id="org-cap" inputMode="numeric" value={cap} onChange={(_e, v) => setCap(v.trim())} validated={invalid.maxSystemUsers ? 'error' : 'default'} />
            {invalid.maxSystemUsers && <FieldError text={invalid.maxSystemUsers} />}
          </FormGroup>
          <FormGroup label="Tags (comma-separated)" fieldId="org-tags">
            <TextInput id="org-tags" value={tags} onChange={(_e, v) => setTags(v)} validated={invalid.tags ? 'error' : 'default'} />
            {invalid.tags && <FieldError text={invalid.tags} />}
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button onClick={submit} isLoading={create.isPending} isDisabled={create.isPending}>
          Create
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
