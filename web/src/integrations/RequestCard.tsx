// "Request an integration" (free text) and "sign up for beta": each stored and shown in
// Activity (integration_request).
import { Alert, Button, Card, CardBody, CardTitle, Form, FormGroup, TextArea } from '@patternfly/react-core';
import { useState } from 'react';
import { FieldError } from '../auth/SignInPage';
import { ErrorAlert } from '../components/ErrorAlert';
import { useRequestIntegration } from './api';

export function RequestCard({ pid }: { pid: string }) {
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const req = useRequestIntegration(pid);
  const [sent, setSent] = useState<'integration' | 'beta' | null>(null);
  const send = (kind: 'integration' | 'beta') => {
    if (kind === 'integration' && !text.trim()) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    req.mutate(kind === 'integration' ? { kind, text: text.trim() } : { kind }, {
      onSuccess: () => {
        setSent(kind);
        if (kind === 'integration') setText('');
      },
    });
  };
  return (
    <Card component="article" aria-label="Request an integration">
      <CardTitle component="h2">Request an integration or join the beta</CardTitle>
      <CardBody>
        {sent && (
          <Alert isInline variant="success" title={sent === 'beta' ? 'You are signed up for the beta' : 'Your request was sent'} className="mtp-gap-bottom">
            Thank you. It is recorded and shown in Activity.
          </Alert>
        )}
        <ErrorAlert error={req.error} />
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            send('integration');
          }}
        >
          <FormGroup label="Which tool should MTP integrate with, and what should it do?" fieldId="integration-request">
            <TextArea
              id="integration-request"
              value={text}
              maxLength={2000}
              onChange={(_e, v) => setText(v)}
              validated={empty ? 'error' : 'default'}
              resizeOrientation="vertical"
            />
            {empty && <FieldError text="Describe the integration you need." />}
          </FormGroup>
          <div>
            <Button type="submit" isLoading={req.isPending && req.variables?.kind === 'integration'} isDisabled={req.isPending}>
              Send request
            </Button>{' '}
            <Button variant="secondary" onClick={() => send('beta')} isDisabled={req.isPending}>
              Sign up for beta
            </Button>
          </div>
        </Form>
      </CardBody>
    </Card>
  );
}
