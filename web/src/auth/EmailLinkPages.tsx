// The pages the emails link to: /activate and /password-reset (choose a password) and
// /totp-reset (drop the old authenticator; the next sign-in enrolls again).
import { ActionGroup, Alert, Button, Form, FormGroup, LoginPage, TextInput } from '@patternfly/react-core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { fieldOf } from '../api/errors';
import { ErrorAlert } from '../components/ErrorAlert';
import { FieldError } from './SignInPage';

function Done({ text }: { text: string }) {
  return (
    <Alert variant="success" isInline title={text}>
      <Link to="/signin">Go to sign-in</Link>
    </Alert>
  );
}

function PasswordLinkPage({ mode }: { mode: 'activate' | 'reset' }) {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const title = mode === 'activate' ? 'Activate your MTP account' : 'Choose a new password';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const bad: Record<string, string> = {};
    if (password.length < 12) bad.password = 'Use at least 12 characters.';
    if (again !== password) bad.again = 'The two passwords differ.';
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'activate') await call(api.POST('/api/v2/auth/activate', { body: { token, password } }));
      else await call(api.POST('/api/v2/auth/password-reset', { body: { token, password } }));
      setDone(true);
    } catch (err) {
      if (fieldOf(err) === 'password') setInvalid({ password: (err as Error).message });
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <LoginPage loginTitle={title}>
      {!token && <Alert variant="danger" isInline title="This link is incomplete: open the whole link from your email." />}
      {done ? (
        <Done text={mode === 'activate' ? 'Your account is active. Sign in with your new password.' : 'Your password was changed. Sign in with it.'} />
      ) : (
        <>
          <ErrorAlert error={error} title="The link could not be used" />
          <Form onSubmit={submit} noValidate>
            <FormGroup label="New password" isRequired fieldId="new-password">
              <TextInput id="new-password" type="password" autoComplete="new-password" value={password} onChange={(_e, v) => setPassword(v)} validated={invalid.password ? 'error' : 'default'} />
              {invalid.password && <FieldError text={invalid.password} />}
            </FormGroup>
            <FormGroup label="Repeat the password" isRequired fieldId="repeat-password">
              <TextInput id="repeat-password" type="password" autoComplete="new-password" value={again} onChange={(_e, v) => setAgain(v)} validated={invalid.again ? 'error' : 'default'} />
              {invalid.again && <FieldError text={invalid.again} />}
            </FormGroup>
            <ActionGroup>
              <Button type="submit" isDisabled={!token || busy} isLoading={busy}>
                {mode === 'activate' ? 'Activate' : 'Change password'}
              </Button>
            </ActionGroup>
          </Form>
        </>
      )}
    </LoginPage>
  );
}

export const ActivatePage = () => <PasswordLinkPage mode="activate" />;
export const PasswordResetPage = () => <PasswordLinkPage mode="reset" />;

export function TotpResetPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  async function reset() {
    setBusy(true);
    setError(null);
    try {
      await call(api.POST('/api/v2/auth/totp-reset', { body: { token } }));
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <LoginPage loginTitle="Reset your authenticator">
      {done ? (
        <Done text="Your old authenticator no longer works. Sign in to set up a new one." />
      ) : (
        <>
          <p>Confirm to remove the authenticator app linked to your account. You will set up a new one at your next sign-in.</p>
          <ErrorAlert error={error} title="The link could not be used" />
          <Button onClick={() => void reset()} isDisabled={!token || busy} isLoading={busy}>
            Reset my authenticator
          </Button>
        </>
      )}
    </LoginPage>
  );
}
