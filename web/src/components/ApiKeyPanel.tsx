// My API key: generated on demand, shown this once (stored hashed), with the warning that a
// new key revokes the old one at once.
import { Alert, Button, Stack, StackItem } from '@patternfly/react-core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { meKey, useMe } from '../auth/session';
import { CopyField } from './CopyField';
import { ErrorAlert } from './ErrorAlert';

export const API_KEY_WARNING =
  'Once a new API key is generated, it will revoke access to the current API key. This will render all calls using the previous API key inaccessible and you will need to update any integrations with the new API key.';

export function ApiKeyPanel() {
  const me = useMe();
  const qc = useQueryClient();
  const gen = useMutation({
    mutationFn: () => call(api.POST('/api/v2/me/apikey')) as Promise<{ apiKey?: string }>,
    onSuccess: () => void qc.invalidateQueries({ queryKey: meKey }),
  });
  if (!me.data?.apiKeyAllowed) {
    return <p>API access is not enabled for your account. An administrator can enable it.</p>;
  }
  return (
    <Stack hasGutter>
      <StackItem>
        <Alert variant="warning" isInline title="Warning">
          {API_KEY_WARNING}
        </Alert>
      </StackItem>
      <StackItem>
        {me.data.apiKeySet && !gen.data ? <p>You have an API key. It is only displayed when it is created.</p> : null}
        {!me.data.apiKeySet && !gen.data ? <p>You have not generated an API key yet.</p> : null}
      </StackItem>
      {gen.data?.apiKey && (
        <StackItem>
          <Alert variant="success" isInline title="Your new API key: store it in a safe place now, it will not be shown again">
            <CopyField value={gen.data.apiKey} label="API key" hidden={false} />
          </Alert>
        </StackItem>
      )}
      <StackItem>
        <ErrorAlert error={gen.error} />
        <Button variant="secondary" onClick={() => gen.mutate()} isLoading={gen.isPending} isDisabled={gen.isPending}>
          Generate new API key
        </Button>
      </StackItem>
    </Stack>
  );
}
