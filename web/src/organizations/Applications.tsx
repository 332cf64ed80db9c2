// The org's SAML / OIDC applications (the list's Applications column): by name; an admin with
// orgs.update adds one or removes one.
import { Button, Flex, FormSelect, FormSelectOption, TextInput } from '@patternfly/react-core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { FieldError } from '../auth/SignInPage';
import { ErrorAlert } from '../components/ErrorAlert';
import { Section } from './OrgDetailPanel';

type Application = components['schemas']['Application'];

export function Applications({ pid, id, mayUpdate }: { pid: string; id: string; mayUpdate: boolean }) {
  const qc = useQueryClient();
  const path = { pid, id };
  const apps = useQuery({
    queryKey: ['orgs', pid, 'apps', id],
    queryFn: () =>
      call(api.GET('/api/v2/providers/{pid}/organizations/{id}/applications', { params: { path } })) as Promise<{ results?: Application[] }>,
  });
  const done = () => void qc.invalidateQueries({ queryKey: ['orgs', pid] });
  const [name, setName] = useState('');
  const [type, setType] = useState<'saml' | 'oidc'>('saml');
  const [invalid, setInvalid] = useState('');
  const add = useMutation({
    mutationFn: () => call(api.POST('/api/v2/providers/{pid}/organizations/{id}/applications', { params: { path }, body: { name: name.trim(), type } })),
    onSuccess: () => {
      setName('');
      done();
    },
  });
  const remove = useMutation({
    mutationFn: (appId: string) =>
      call(api.DELETE('/api/v2/providers/{pid}/organizations/{id}/applications/{appId}', { params: { path: { ...path, appId } } })),
    onSuccess: done,
  });
  const rows = apps.data?.results ?? [];
  return (
    <Section title="Applications">
      <ErrorAlert error={apps.error ?? add.error ?? remove.error} onRetry={() => void apps.refetch()} />
      <ul aria-label="Applications of this organization">
        {rows.map((a) => (
          <li key={a.id}>
            {a.name} ({a.type === 'oidc' ? 'OIDC' : 'SAML'}){' '}
            {mayUpdate && (
              <Button variant="link" isDanger isInline onClick={() => remove.mutate(a.id ?? '')} aria-label={`Remove the application ${a.name}`}>
                Remove
              </Button>
            )}
          </li>
        ))}
        {apps.isSuccess && rows.length === 0 && <li>No application yet.</li>}
      </ul>
      {mayUpdate && (
        <>
          <Flex flexWrap={{ default: 'nowrap' }} style={{ marginTop: 8 }}>
            <TextInput aria-label="New application name" placeholder="application name" value={name} onChange={(_e, v) => setName(v)} validated={invalid ? 'error' : 'default'} />
            <FormSelect aria-label="New application type" value={type} onChange={(_e, v) => setType(v as 'saml' | 'oidc')} style={{ maxWidth: '8rem' }}>
              <FormSelectOption value="saml" label="SAML" />
              <FormSelectOption value="oidc" label="OIDC" />
            </FormSelect>
            <Button
              variant="secondary"
              isLoading={add.isPending}
              onClick={() => {
                if (!name.trim()) return setInvalid('Enter the application name.');
                setInvalid('');
                add.mutate();
              }}
            >
              Add application
            </Button>
          </Flex>
          {invalid && <FieldError text={invalid} />}
        </>
      )}
    </Section>
  );
}
