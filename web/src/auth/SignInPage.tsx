// Sign-in: email and password, then a TOTP code when the account requires one. An admin who
// must enroll gets a session that reaches only enrollment and goes to /mfa-enroll.
import {
  ActionGroup,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  LoginPage,
  TextInput,
} from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/errors';
import { ErrorAlert } from '../components/ErrorAlert';

export function safeNext(next: string | null): string {
  // Only a path of this site: never an absolute URL another site could be named in.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const expired = params.get('expired') === '1';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const bad: Record<string, string> = {};
    if (!/^\S+@\S+$/.test(email)) bad.email = 'Enter your email address.';
    if (!password) bad.password = 'Enter your password.';
    if (needTotp && !/^\d{6}$/.test(totp)) bad.totp = 'Enter the 6-digit code from your authenticator app.';
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    setBusy(true);
    setError(null);
    try {
      const s = await call(
        api.POST('/api/v2/auth/login', {
          body: needTotp ? { email, password, totp } : { email, password },
          params: { header: { 'X-MTP-Session': 'cookie' } },
        }),
      );
      qc.clear();
      if (s.scope === 'mfa_enroll') navigate('/mfa-enroll', { replace: true });
      else navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      if (isApiError(err) && err.code === 'mfa_required' && !needTotp) {
        setNeedTotp(true);
      } else {
        setError(err);
        if (needTotp) setTotp('');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <LoginPage loginTitle="Sign in to MTP" loginSubtitle="The portal of your managed service provider">
      {expired && !error && (
        <HelperText>
          <HelperTextItem variant="warning">Your session ended. Sign in again to continue where you were.</HelperTextItem>
        </HelperText>
      )}
      <ErrorAlert error={error} title="Sign-in failed" />
      <Form onSubmit={submit} noValidate>
        <FormGroup label="Email" isRequired fieldId="email">
          <TextInput id="email" type="email" autoComplete="username" value={email} onChange={(_e, v) => setEmail(v)} validated={invalid.email ? 'error' : 'default'} isRequired />
          {invalid.email && <FieldError text={invalid.email} />}
        </FormGroup>
        <FormGroup label="Password" isRequired fieldId="password">
          <TextInput id="password" type="password" autoComplete="current-password" value={password} onChange={(_e, v) => setPassword(v)} validated={invalid.password ? 'error' : 'default'} isRequired />
          {invalid.password && <FieldError text={invalid.password} />}
        </FormGroup>
        {needTotp && (
          <FormGroup label="Authentication code" isRequired fieldId="totp">
            <TextInput id="totp" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={totp} onChange={(_e, v) => setTotp(v.trim())} validated={invalid.totp ? 'error' : 'default'} autoFocus />
            <FieldError text={invalid.totp ?? 'Your account requires multi-factor authentication: enter the code from your authenticator app.'} plain={!invalid.totp} />
          </FormGroup>
        )}
        <ActionGroup>
          <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy}>
            {needTotp ? 'Verify and sign in' : 'Sign in'}
          </Button>
        </ActionGroup>
      </Form>
    </LoginPage>
  );
}

export function FieldError({ text, plain = false }: { text: string; plain?: boolean }) {
  return (
    <FormHelperText>
      <HelperText>
        <HelperTextItem variant={plain ? 'default' : 'error'}>{text}</HelperTextItem>
      </HelperText>
    </FormHelperText>
  );
}
