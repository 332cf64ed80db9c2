// Change my password: the current one, the new one twice. The server answers a new session
// (into the cookie) and revokes the others.
import { Alert, Button, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, TextInput } from '@patternfly/react-core';
import { useState } from 'react';
import { api, call } from '../api/client';
import { fieldOf } from '../api/errors';
import { FieldError } from '../auth/SignInPage';
import { ErrorAlert } from './ErrorAlert';

export function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  async function save() {
    const bad: Record<string, string> = {};
    if (!current) bad.currentPassword = 'Enter your current password.';
    if (next.length < 12) bad.newPassword = 'Use at least 12 characters.';
    if (again !== next) bad.again = 'The two passwords differ.';
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    setBusy(true);
    setError(null);
    try {
      await call(api.PUT('/api/v2/me/password', { body: { currentPassword: current, newPassword: next } }));
      setDone(true);
    } catch (err) {
      const f = fieldOf(err);
      if (f === 'currentPassword' || f === 'newPassword') setInvalid({ [f]: (err as Error).message });
      else setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal isOpen onClose={onClose} variant="small" aria-labelledby="pw-title">
      <ModalHeader title="Change password" labelId="pw-title" />
      <ModalBody>
        {done ? (
          <Alert variant="success" isInline title="Your password was changed." />
        ) : (
          <Form noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
            <ErrorAlert error={error} />
            <FormGroup label="Current password" isRequired fieldId="cur-pw">
              <TextInput id="cur-pw" type="password" autoComplete="current-password" value={current} onChange={(_e, v) => setCurrent(v)} validated={invalid.currentPassword ? 'error' : 'default'} />
              {invalid.currentPassword && <FieldError text={invalid.currentPassword} />}
            </FormGroup>
            <FormGroup label="New password" isRequired fieldId="new-pw">
              <TextInput id="new-pw" type="password" autoComplete="new-password" value={next} onChange={(_e, v) => setNext(v)} validated={invalid.newPassword ? 'error' : 'default'} />
              {invalid.newPassword && <FieldError text={invalid.newPassword} />}
            </FormGroup>
            <FormGroup label="Repeat the new password" isRequired fieldId="again-pw">
              <TextInput id="again-pw" type="password" autoComplete="new-password" value={again} onChange={(_e, v) => setAgain(v)} validated={invalid.again ? 'error' : 'default'} />
              {invalid.again && <FieldError text={invalid.again} />}
            </FormGroup>
          </Form>
        )}
      </ModalBody>
      <ModalFooter>
        {!done && (
          <Button onClick={() => void save()} isLoading={busy} isDisabled={busy}>
            Change password
          </Button>
        )}
        <Button variant="link" onClick={onClose}>
          {done ? 'Close' : 'Cancel'}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
