// Add a user to one of the orgs the admin reaches (POST /api/systemusers with x-org-id).
import { Checkbox, FormGroup } from '@patternfly/react-core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { fieldOf } from '../api/errors';
import { FieldError } from '../auth/SignInPage';
import { FormModal, TextField } from '../components/FormModal';
import { OrgTypeahead } from '../components/OrgTypeahead';
import type { OrgOption } from '../components/useOrgNames';
import { orgHeader } from './api';

export function AddUserModal({ pid, orgs, onClose }: { pid: string; orgs: OrgOption[]; onClose: () => void }) {
  const qc = useQueryClient();
  // The first org the admin reaches is chosen at first; any other is found by name.
  const [org, setOrg] = useState({ id: orgs[0]?.id ?? '', name: orgs[0]?.name ?? '' });
  const [v, setV] = useState({ username: '', email: '', firstname: '', lastname: '' });
  const [activated, setActivated] = useState(false);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/systemusers', {
          params: { header: orgHeader(org.id) },
          body: {
            username: v.username.trim(),
            ...(v.email.trim() ? { email: v.email.trim() } : {}),
            ...(v.firstname.trim() ? { firstname: v.firstname.trim() } : {}),
            ...(v.lastname.trim() ? { lastname: v.lastname.trim() } : {}),
            state: activated ? 'ACTIVATED' : 'STAGED',
          },
        }),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users', pid] });
      onClose();
    },
    onError: (e) => {
      const f = fieldOf(e);
      if (f) setInvalid({ [f]: (e as Error).message });
    },
  });
  function submit() {
    const bad: Record<string, string> = {};
    if (!org.id) bad.organization = 'Choose an organization.';
    if (!v.username.trim()) bad.username = 'Enter a username.';
    setInvalid(bad);
    if (!Object.keys(bad).length) create.mutate();
  }
  const field = (id: keyof typeof v, label: string, required = false) => (
    <TextField id={`add-${id}`} label={label} required={required} value={v[id]} onChange={(x) => setV({ ...v, [id]: x })} invalid={invalid[id]} />
  );
  return (
    <FormModal id="add-user" title="Add user" submitLabel="Add" onSubmit={submit} onClose={onClose} pending={create.isPending} error={create.error}>
      <FormGroup label="Organization" isRequired fieldId="add-org">
        <OrgTypeahead pid={pid} label="Organization of the new user" value={org.id} valueName={org.name} onChange={(id, name) => setOrg({ id, name })} />
        {invalid.organization && <FieldError text={invalid.organization} />}
      </FormGroup>
      {field('username', 'Username', true)}
      {field('email', 'Email')}
      {field('firstname', 'First name')}
      {field('lastname', 'Last name')}
      <Checkbox id="add-activated" label="Activate now (otherwise staged until activated)" isChecked={activated} onChange={(_e, x) => setActivated(x)} />
    </FormModal>
  );
}
