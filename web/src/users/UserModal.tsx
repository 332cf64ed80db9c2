// One user: details, edit (name, email, username), activate, scheduled suspension or
// activation, delete, each shown only when the admin's effective actions allow it. Every call
// names the user's org in x-org-id.
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
} from '@patternfly/react-core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { can } from '../auth/session';
import { ErrorAlert, isStale } from '../components/ErrorAlert';
import { ifMatch } from '../api/errors';
import { UserSchedule, whenLocal } from './UserSchedule';
import { useMeOutlet } from '../components/RequireAction';
import { orgHeader, type SystemUser } from './api';

export function UserModal({ pid, user, orgName, onClose }: { pid: string; user: SystemUser; orgName: string; onClose: () => void }) {
  const me = useMeOutlet();
  const qc = useQueryClient();
  const org = user.organization ?? '';
  const id = user.id ?? '';
  const params = { header: orgHeader(org), path: { id } };
  const detail = useQuery({
    queryKey: ['user', org, id],
    queryFn: () => call(api.GET('/api/systemusers/{id}', { params })) as Promise<SystemUser>,
  });
  const u = detail.data ?? user;
  const [edit, setEdit] = useState<{ firstname: string; lastname: string; email: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['users', pid] });
    void qc.invalidateQueries({ queryKey: ['user', org, id] });
  };
  const save = useMutation({
    // Made from the version shown (If-Match): someone else's change since answers 412, and
    // the user is reloaded for the admin to redo the edit.
    mutationFn: () => call(api.PUT('/api/systemusers/{id}', { params: { ...params, header: { ...params.header, ...ifMatch(u.version) } }, body: edit ?? {} })),
    onSuccess: (saved) => {
      setEdit(null);
      qc.setQueryData(['user', org, id], saved);
      done();
    },
    onError: (e) => {
      if (isStale(e)) {
        setEdit(null);
        done();
      }
    },
  });
  const activate = useMutation({ mutationFn: () => call(api.POST('/api/systemusers/{id}/state/activate', { params })), onSuccess: done });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/api/systemusers/{id}', { params })),
    onSuccess: () => {
      done();
      onClose();
    },
  });
  const error = detail.error ?? save.error ?? activate.error ?? remove.error;
  const rows: [string, string][] = [
    ['Username', u.username ?? ''],
    ['Name', [u.firstname, u.lastname].filter(Boolean).join(' ')],
    ['Email', u.email ?? ''],
    ['State', u.state ?? ''],
    ['Organization', orgName],
    ['Locked', u.account_locked ? 'Yes' : 'No'],
    ['Password expired', u.password_expired ? 'Yes' : 'No'],
    ['Password expires', u.password_expiration_date ?? 'never'],
    ['MFA (TOTP)', u.totp_enabled ? 'Enrolled' : 'Not enrolled'],
    ['Created', u.created ?? ''],
    ...(u.scheduled_suspension_date ? ([['Suspension scheduled', whenLocal(u.scheduled_suspension_date)]] as [string, string][]) : []),
    ...(u.scheduled_activation_date ? ([['Activation scheduled', whenLocal(u.scheduled_activation_date)]] as [string, string][]) : []),
  ];
  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-labelledby="user-title">
      <ModalHeader title={`User ${u.username ?? ''}`} labelId="user-title" />
      <ModalBody>
        <ErrorAlert error={error} />
        {activate.isSuccess && <Alert variant="success" isInline title="User activated" />}
        {save.isSuccess && <Alert variant="success" isInline title="Changes saved" />}
        {edit ? (
          <Form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
            <FormGroup label="First name" fieldId="u-first">
              <TextInput id="u-first" value={edit.firstname} onChange={(_e, v) => setEdit({ ...edit, firstname: v })} />
            </FormGroup>
            <FormGroup label="Last name" fieldId="u-last">
              <TextInput id="u-last" value={edit.lastname} onChange={(_e, v) => setEdit({ ...edit, lastname: v })} />
            </FormGroup>
            <FormGroup label="Email" fieldId="u-email">
              <TextInput id="u-email" type="email" value={edit.email} onChange={(_e, v) => setEdit({ ...edit, email: v })} />
            </FormGroup>
          </Form>
        ) : (
          <DescriptionList isHorizontal aria-label="User details">
            {rows.map(([t, d]) => (
              <DescriptionListGroup key={t}>
                <DescriptionListTerm>{t}</DescriptionListTerm>
                <DescriptionListDescription>{d}</DescriptionListDescription>
              </DescriptionListGroup>
            ))}
          </DescriptionList>
        )}
        {!edit && <UserSchedule user={u} onChanged={(n) => (qc.setQueryData(['user', org, id], n), done())} />}
        {confirmDelete && (
          <Alert variant="danger" isInline title={`Delete ${u.username ?? ''}? This cannot be undone.`}>
            <Button variant="danger" onClick={() => remove.mutate()} isLoading={remove.isPending}>
              Delete user
            </Button>{' '}
            <Button variant="link" onClick={() => setConfirmDelete(false)}>
              Keep
            </Button>
          </Alert>
        )}
      </ModalBody>
      <ModalFooter>
        {edit ? (
          <>
            <Button onClick={() => save.mutate()} isLoading={save.isPending}>
              Save
            </Button>
            <Button variant="link" onClick={() => setEdit(null)}>
              Cancel
            </Button>
          </>
        ) : (
          <>
            {can(me, 'users.update') && (
              <Button variant="secondary" onClick={() => setEdit({ firstname: u.firstname ?? '', lastname: u.lastname ?? '', email: u.email ?? '' })}>
                Edit
              </Button>
            )}
            {can(me, 'users.activate') && u.state !== 'ACTIVATED' && (
              <Button variant="secondary" onClick={() => activate.mutate()} isLoading={activate.isPending}>
                Activate
              </Button>
            )}
            {can(me, 'users.delete') && (
              <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            )}
            <Button variant="link" onClick={onClose}>
              Close
            </Button>
          </>
        )}
      </ModalFooter>
    </Modal>
  );
}
