// A user's scheduled state change (JumpCloud's scheduled suspension / activation): an ACTIVATED
// user can be scheduled for suspension (users.suspend), a STAGED or SUSPENDED one for
// activation (users.activate), at a future local date and time; a scheduled change can be
// cancelled. mtpd's schedule job carries it out when due.
import { Alert, Button, Flex, FlexItem, FormGroup, TextInput, Title } from '@patternfly/react-core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { FieldError } from '../auth/SignInPage';
import { can } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { orgHeader, type SystemUser } from './api';

export const whenLocal = (t: string) => new Date(t).toLocaleString();

// `YYYY-MM-DDTHH:mm` of the browser's time zone, one hour ahead (the picker's first value).
function inAnHour(): string {
  const d = new Date(Date.now() + 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function UserSchedule({ user: u, onChanged }: { user: SystemUser; onChanged: (u: SystemUser) => void }) {
  const me = useMeOutlet();
  const kind: 'suspension' | 'activation' | null =
    u.state === 'ACTIVATED' && can(me, 'users.suspend')
      ? 'suspension'
      : (u.state === 'STAGED' || u.state === 'SUSPENDED') && can(me, 'users.activate')
        ? 'activation'
        : null;
  const [at, setAt] = useState(inAnHour);
  const [invalid, setInvalid] = useState('');
  const params = { header: orgHeader(u.organization ?? ''), path: { id: u.id ?? '' } };
  const put = useMutation({
    mutationFn: (k: 'suspension' | 'activation') =>
      call(
        k === 'suspension'
          ? api.PUT('/api/systemusers/{id}/schedule/suspension', { params, body: { start_date: new Date(at).toISOString() } })
          : api.PUT('/api/systemusers/{id}/schedule/activation', { params, body: { start_date: new Date(at).toISOString() } }),
      ) as Promise<SystemUser>,
    onSuccess: onChanged,
  });
  const clear = useMutation({
    mutationFn: (k: 'suspension' | 'activation') =>
      call(
        k === 'suspension'
          ? api.DELETE('/api/systemusers/{id}/schedule/suspension', { params })
          : api.DELETE('/api/systemusers/{id}/schedule/activation', { params }),
      ) as Promise<SystemUser>,
    onSuccess: onChanged,
  });
  const scheduled: ['suspension' | 'activation', string][] = [];
  if (u.scheduled_suspension_date) scheduled.push(['suspension', u.scheduled_suspension_date]);
  if (u.scheduled_activation_date) scheduled.push(['activation', u.scheduled_activation_date]);
  const mayClear = (k: 'suspension' | 'activation') => can(me, k === 'suspension' ? 'users.suspend' : 'users.activate');
  if (!kind && scheduled.length === 0) return null;

  const submit = () => {
    if (!at || Number.isNaN(new Date(at).getTime()) || new Date(at).getTime() <= Date.now()) {
      setInvalid('Choose a date and time in the future.');
      return;
    }
    setInvalid('');
    put.mutate(kind!);
  };
  return (
    <section aria-label="Scheduled state change" className="mtp-gap-top">
      <Title headingLevel="h3" size="md">
        Scheduled state change
      </Title>
      <ErrorAlert error={put.error ?? clear.error} />
      {scheduled.map(([k, t]) => (
        <Alert key={k} isInline isPlain variant="info" title={`${k === 'suspension' ? 'Suspension' : 'Activation'} scheduled for ${whenLocal(t)}`}>
          {mayClear(k) && (
            <Button variant="link" isInline onClick={() => clear.mutate(k)} isLoading={clear.isPending}>
              Cancel the scheduled {k}
            </Button>
          )}
        </Alert>
      ))}
      {kind && (
        <Flex alignItems={{ default: 'alignItemsFlexEnd' }}>
          <FlexItem>
            <FormGroup label={kind === 'suspension' ? 'Suspend on' : 'Activate on'} fieldId="user-schedule-at">
              <TextInput id="user-schedule-at" type="datetime-local" value={at} onChange={(_e, v) => setAt(v)} validated={invalid ? 'error' : 'default'} />
              {invalid && <FieldError text={invalid} />}
            </FormGroup>
          </FlexItem>
          <FlexItem>
            <Button variant="secondary" onClick={submit} isLoading={put.isPending}>
              {kind === 'suspension' ? 'Schedule suspension' : 'Schedule activation'}
            </Button>
          </FlexItem>
        </Flex>
      )}
    </section>
  );
}
