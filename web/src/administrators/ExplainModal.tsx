// "Why can't they?": asks the engine (GET /administrators/{id}/explain) whether this admin may
// do an action in an org, and shows the decision and its trace as readable steps.
import { Alert, Button, Form, FormGroup, FormSelect, FormSelectOption, List, ListItem, Modal, ModalBody, ModalHeader, Label } from '@patternfly/react-core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { useMeOutlet } from '../components/RequireAction';
import type { Admin } from './api';

const ACTIONS = [
  'orgs.read', 'orgs.update', 'orgs.create', 'orgs.launch', 'users.read', 'users.create', 'users.update', 'users.unlock', 'users.suspend',
  'users.reset_password', 'devices.read', 'devices.restart', 'devices.lock', 'admins.read', 'admins.create', 'admins.update', 'billing.read',
  'billing.update', 'settings.update', 'activity.read', 'home.read', 'commands.run',
];

export function ExplainModal({ admin, onClose }: { admin: Admin; onClose: () => void }) {
  const me = useMeOutlet();
  const [action, setAction] = useState('users.unlock');
  const [org, setOrg] = useState({ id: '', name: '' });
  const [asked, setAsked] = useState<{ action: string; org: string } | null>(null);
  const answer = useQuery({
    queryKey: ['explain', admin.id, asked],
    queryFn: () =>
      call(api.GET('/api/v2/administrators/{id}/explain', { params: { path: { id: admin.id ?? '' }, query: { action: asked!.action, ...(asked!.org ? { organization: asked!.org } : {}) } as never } })),
    enabled: !!asked,
  });
  const e = answer.data;
  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-labelledby="explain-title">
      <ModalHeader title={`Why can't ${admin.email}?`} labelId="explain-title" description="Ask the authorization engine what it decides for this administrator, and why." />
      <ModalBody>
        <Form isHorizontal onSubmit={(ev) => { ev.preventDefault(); setAsked({ action, org: org.id }); }}>
          <FormGroup label="Action" fieldId="explain-action">
            <FormSelect id="explain-action" value={action} onChange={(_e, v) => setAction(v)}>
              {ACTIONS.map((a) => <FormSelectOption key={a} value={a} label={a} />)}
            </FormSelect>
          </FormGroup>
          <FormGroup label="Organization" fieldId="explain-org">
            <OrgTypeahead
              pid={me.provider ?? ''}
              label="Organization"
              value={org.id}
              valueName={org.name}
              allLabel="(none: a provider-wide action)"
              onChange={(id, name) => setOrg({ id, name })}
            />
          </FormGroup>
          <Button type="submit">Explain</Button>
        </Form>
        <ErrorAlert error={answer.error} />
        {e && (
          <div style={{ marginTop: 16 }} data-testid="explain-result">
            <Alert variant={e.allowed ? 'success' : 'danger'} isInline title={e.allowed ? 'Allowed' : `Denied: ${e.reason ?? ''}`}>
              Decided by: {e.decidedBy || 'the default (deny)'}
            </Alert>
            <List isPlain aria-label="Decision trace">
              {(e.trace ?? []).map((t, i) => (
                <ListItem key={i}>
                  <Label color={t.passed ? 'green' : 'red'} isCompact>{t.passed ? 'passed' : 'failed'}</Label> {t.check}
                  {t.subject ? ` — ${t.subject}` : ''}
                  {t.detail ? `: ${t.detail}` : ''}
                </ListItem>
              ))}
            </List>
          </div>
        )}
      </ModalBody>
    </Modal>
  );
}
