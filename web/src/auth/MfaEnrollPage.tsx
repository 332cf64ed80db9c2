// TOTP enrollment: the QR code of the otpauth URI and the secret to type, confirmed by a
// first code; the confirmation's full session replaces the enrollment-only one (in the cookie).
import { Alert, Bullseye, Button, Card, CardBody, CardTitle, Form, FormGroup, Spinner, TextInput, Title } from '@patternfly/react-core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { CopyField } from '../components/CopyField';
import { FieldError } from './SignInPage';

export function MfaEnrollPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const enroll = useQuery({
    queryKey: ['totp-enrollment'],
    queryFn: async () => {
      const e = await call(api.POST('/api/v2/me/totp'));
      const secret = (e as { secret?: string }).secret ?? '';
      const uri = (e as { otpauthUri?: string }).otpauthUri ?? '';
      const qr = await QRCode.toDataURL(uri, { margin: 1, width: 220 });
      return { secret, uri, qr };
    },
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setInvalid('Enter the 6-digit code your app shows now.');
      return;
    }
    setInvalid('');
    setBusy(true);
    setError(null);
    try {
      await call(api.POST('/api/v2/me/totp/confirm', { body: { totp: code } }));
      // Never refetch the enrollment: a second POST /me/totp would start a new one.
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'totp-enrollment' });
      navigate('/', { replace: true });
    } catch (err) {
      setError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Bullseye style={{ minHeight: '100vh', padding: 16 }}>
      <Card style={{ maxWidth: 520 }}>
        <CardTitle>
          <Title headingLevel="h1">Set up multi-factor authentication</Title>
        </CardTitle>
        <CardBody>
          <p>Your account requires a second factor. Scan this QR code with an authenticator app (or type the secret), then enter the first code it shows.</p>
          {enroll.isPending && <Spinner aria-label="Preparing enrollment" />}
          <ErrorAlert error={enroll.error} onRetry={() => void enroll.refetch()} />
          {enroll.data && (
            <>
              <Bullseye>
                <img src={enroll.data.qr} alt="QR code of your authenticator secret" width={220} height={220} data-testid="totp-qr" />
              </Bullseye>
              <p>Secret:</p>
              <CopyField value={enroll.data.secret} label="TOTP secret" hidden={false} />
              <span hidden data-testid="otpauth-uri">{enroll.data.uri}</span>
            </>
          )}
          {error ? <ErrorAlert error={error} title="That code was not accepted" /> : null}
          <Form onSubmit={confirm} noValidate>
            <FormGroup label="First code" isRequired fieldId="first-code">
              <TextInput id="first-code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(_e, v) => setCode(v.trim())} validated={invalid ? 'error' : 'default'} />
              {invalid && <FieldError text={invalid} />}
            </FormGroup>
            <Button type="submit" isLoading={busy} isDisabled={busy || !enroll.data}>
              Confirm and continue
            </Button>
          </Form>
          <Alert variant="info" isInline isPlain title="Lost your device later?">
            An administrator can send you a TOTP reset email.
          </Alert>
        </CardBody>
      </Card>
    </Bullseye>
  );
}
