// An org user whose password expired (or was force-reset) sets a new one: the current password,
// the new one twice. Server errors show as text next to the field they name, or in an Alert.
import { ActionGroup, Alert, Button, Form, FormGroup, Stack, TextInput } from '@patternfly/react-core';
import { useState, type FormEvent } from 'react';
import { fieldOf } from '../api/errors';
import { ErrorAlert } from '../components/ErrorAlert';
import { FieldError } from '../auth/SignInPage';
import { checkNewPassword, portalSetPassword } from './api';
import { NewPasswordFields } from './NewPasswordFields';

export function SetPasswordForm(props: { organization: string; username: string; onDone: () => void; onCancel: () => void }) {
  const { organization, username, onDone, onCancel } = props;
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const bad = checkNewPassword(password, again);
    if (!current) bad.current = 'Enter your current password.';
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    setBusy(true);
    setError(null);
    try {
      await portalSetPassword({ organization, username, password: current, newPassword: password });
      onDone();
    } catch (err) {
      if (fieldOf(err) === 'newPassword') setInvalid({ password: (err as Error).message });
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack hasGutter>
      <Alert variant="warning" isInline title="Your password has expired">
        Set a new password for {username} to sign in.
      </Alert>
      <ErrorAlert error={error} title="The password was not changed" />
      <Form onSubmit={submit} noValidate aria-label="Set a new password">
        <FormGroup label="Current password" isRequired fieldId="uc-current-password">
          <TextInput id="uc-current-password" type="password" autoComplete="current-password" value={current} onChange={(_e, v) => setCurrent(v)} validated={invalid.current ? 'error' : 'default'} isRequired />
          {invalid.current && <FieldError text={invalid.current} />}
        </FormGroup>
        <NewPasswordFields password={password} again={again} onPassword={setPassword} onAgain={setAgain} invalid={invalid} />
        <ActionGroup>
          <Button type="submit" variant="primary" isLoading={busy} isDisabled={busy}>
            Set new password
          </Button>
          <Button variant="link" onClick={onCancel}>
            Back to sign-in
          </Button>
        </ActionGroup>
      </Form>
    </Stack>
  );
}
