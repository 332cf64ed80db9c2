// An id or secret with an eye (show/hide) and a copy button.
import { Button, Flex, FlexItem } from '@patternfly/react-core';
import { CopyIcon, EyeIcon, EyeSlashIcon } from '@patternfly/react-icons';
import { useState } from 'react';

export function CopyField({ value, label, hidden = true }: { value: string; label: string; hidden?: boolean }) {
  const [shown, setShown] = useState(!hidden);
  const [copied, setCopied] = useState(false);
  return (
    <Flex alignItems={{ default: 'alignItemsCenter' }} flexWrap={{ default: 'nowrap' }} spaceItems={{ default: 'spaceItemsXs' }}>
      <FlexItem>
        <code aria-label={label} data-testid={`${label}-value`}>
          {shown ? value : '•'.repeat(Math.min(24, value.length))}
        </code>
      </FlexItem>
      <Button variant="plain" aria-label={shown ? `Hide ${label}` : `Show ${label}`} onClick={() => setShown(!shown)} icon={shown ? <EyeSlashIcon /> : <EyeIcon />} />
      <Button
        variant="plain"
        aria-label={`Copy ${label}`}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
        }}
        icon={<CopyIcon />}
      />
      {copied && <FlexItem role="status">Copied</FlexItem>}
    </Flex>
  );
}
