// /userconsole: the org users' portal. An org user signs in with organization, username and
// password (the org's password policy applies); an expired or force-reset password turns the
// form into "Set a new password". No session exists: signing out only forgets the answer.
import { ActionGroup, Alert, Button, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm, Form, FormGroup, LoginPage, Stack, TextInput } from '@patternfly/react-core';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert';
import { FieldError } from '../auth/SignInPage';
import { isPasswordExpired, portalLogin, type PortalUser } from './api';
import { SetPasswordForm } from './SetPasswordForm';

type Step = { kind: 'signin' } | { kind: 'expired' } | { kind: 'signed-in'; user: PortalUser };

function SignedIn({ user, onSignOut }: { user: PortalUser; onSignOut: () => void }) {
  const name = [user.firstname, user.lastname].filter(Boolean).join(' ');
  return (
    <Stack hasGutter>
      <Alert variant="success" isInline title={`Signed in as ${user.username}${user.email ? ` (${user.email})` : ''}`} />
      <DescriptionList aria-label="Your account" isCompact>
        {name && (
          <DescriptionListGroup>
            <DescriptionListTerm>Name</DescriptionListTerm>
            <DescriptionListDescription>{name}</DescriptionListDescription>
          </DescriptionListGroup>
        )}
        <DescriptionListGroup>
          <DescriptionListTerm>Organization</DescriptionListTerm>
          <DescriptionListDescription>{user.organization}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>Password expires</DescriptionListTerm>
          <DescriptionListDescription>{user.password_expiration_date ? new Date(user.password_expiration_date).toLocaleDateString() : 'Never'}</DescriptionListDescription>
        </DescriptionListGroup>
      </DescriptionList>
      <ActionGroup>
        <Button variant="secondary" onClick={onSignOut}>
          Sign out
        </Button>
      </ActionGroup>
    </Stack>
  );
}

export function UserConsolePage() {
  const [params] = useSearchParams();
  const [organization, setOrganization] = useState(params.get('organization') ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'signin' });
  const [notice, setNotice] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const bad: Record<string, string> = {};
    if (!organization.trim()) bad.organization = 'Enter your organization ID.';
    if (!username.trim()) bad.username = 'Enter your username.';
    if (!password) bad.password = 'Enter your password.';
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const user = await portalLogin({ organization: organization.trim(), username: username.trim(), password });
      setPassword('');
      setStep({ kind: 'signed-in', user });
    } catch (err) {
      setPassword('');
      if (isPasswordExpired(err)) setStep({ kind: 'expired' });
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  const backToSignIn = (message = '') => {
    setPassword('');
    setError(null);
    setNotice(message);
    setStep({ kind: 'signin' });
  };

  const title = step.kind === 'expired' ? 'Set a new password' : step.kind === 'signed-in' ? 'Your account' : 'Sign in to your organization';
  return (
    <LoginPage loginTitle={title} loginSubtitle="The user portal of your organization">
      {step.kind === 'signed-in' && <SignedIn user={step.user} onSignOut={() => backToSignIn('You signed out.')} />}
      {step.kind === 'expired' && (
        <SetPasswordForm
          organization={organization.trim()}
          username={username.trim()}
          onDone={() => backToSignIn('Your password was changed. Sign in with the new one.')}
          onCancel={() => backToSignIn()}
        />
      )}
      {step.kind === 'signin' && (
        <>
          {notice && <Alert variant="success" isInline title={notice} />}
          <ErrorAlert error={error} title="Sign-in failed" />
          <Form onSubmit={submit} noValidate aria-label="Sign in">
            <FormGroup label="Organization ID" isRequired fieldId="uc-organization">
              <TextInput id="uc-organization" value={organization} onChange={(_e, v) => setOrganization(v)} validated={invalid.organization ? 'error' : 'default'} isRequired />
              {invalid.organization && <FieldError text={invalid.organization} />}
            </FormGroup>
            <FormGroup label="Username" isRequired fieldId="uc-username">
              <TextInput id="uc-username" autoComplete="username" value={username} onChange={(_e, v) => setUsername(v)} validated={invalid.username ? 'error' : 'default'} isRequired />
              {invalid.username && <FieldError text={invalid.username} />}
            </FormGroup>
            <FormGroup label="Password" isRequired fieldId="uc-password">
              <TextInput id="uc-password" type="password" autoComplete="current-password" value={password} onChange={(_e, v) => setPassword(v)} validated={invalid.password ? 'error' : 'default'} isRequired />
              {invalid.password && <FieldError text={invalid.password} />}
            </FormGroup>
            <ActionGroup>
              <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy}>
                Sign in
              </Button>
            </ActionGroup>
          </Form>
        </>
      )}
    </LoginPage>
  );
}
