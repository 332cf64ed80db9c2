// Manage Home: a toggle per widget and the N values; every change is saved at once.
import { Alert, Form, FormGroup, Modal, ModalBody, ModalHeader, NumberInput, Spinner, Switch, Button, ModalFooter } from '@patternfly/react-core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { useHomeSettings, type HomeSettings } from './api';
import { WIDGETS, type WidgetId } from './widgets';

export function ManageHomeModal({ onClose }: { onClose: () => void }) {
  const settings = useHomeSettings();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (s: HomeSettings) => call(api.PUT('/api/v2/me/home', { body: s })),
    onSuccess: (s) => {
      qc.setQueryData(['home-settings'], s);
      void qc.invalidateQueries({ queryKey: ['home'] });
    },
  });
  const [days, setDays] = useState<Record<string, number>>({});
  const s = save.data ?? settings.data;
  const on = new Set<string>(s?.widgets ?? []);
  function toggle(id: WidgetId, value: boolean) {
    if (!s) return;
    const widgets = WIDGETS.map((w) => w.id).filter((w) => (w === id ? value : on.has(w)));
    save.mutate({ ...s, widgets });
  }
  function setN(key: 'upcomingPasswordExpirationDays' | 'longUptimeDays' | 'scheduledDays', n: number) {
    setDays({ ...days, [key]: n });
    if (!s || !Number.isInteger(n) || n < 1 || n > 365) return;
    save.mutate({ ...s, [key]: n });
  }
  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-labelledby="manage-home-title">
      <ModalHeader title="Manage Home" labelId="manage-home-title" description="Changes are saved at once." />
      <ModalBody>
        {settings.isPending && <Spinner aria-label="Loading your Home settings" />}
        <ErrorAlert error={settings.error ?? save.error} />
        {save.isSuccess && <Alert variant="success" isInline isPlain title="Saved" />}
        {s && (
          <Form onSubmit={(e) => e.preventDefault()}>
            {WIDGETS.map((w) => (
              <FormGroup key={w.id} fieldId={`switch-${w.id}`}>
                <Switch id={`switch-${w.id}`} label={w.label} isChecked={on.has(w.id)} onChange={(_e, v) => toggle(w.id, v)} />
                {w.days && (
                  <NumberInput
                    value={days[w.days] ?? s[w.days] ?? 1}
                    min={1}
                    max={365}
                    inputName={w.days}
                    inputAriaLabel={`${w.label}: number of days`}
                    minusBtnAriaLabel="fewer days"
                    plusBtnAriaLabel="more days"
                    onMinus={() => setN(w.days!, (days[w.days!] ?? s[w.days!] ?? 1) - 1)}
                    onPlus={() => setN(w.days!, (days[w.days!] ?? s[w.days!] ?? 1) + 1)}
                    onChange={(e) => setN(w.days!, Number((e.target as HTMLInputElement).value))}
                    unit="days"
                    validated={(() => {
                      const n = days[w.days] ?? s[w.days] ?? 1;
                      return n >= 1 && n <= 365 ? 'default' : 'error';
                    })()}
                  />
                )}
              </FormGroup>
            ))}
          </Form>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </ModalFooter>
    </Modal>
  );
}
