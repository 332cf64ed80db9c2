// An organization picker that asks the server as the admin types (name:search, 20 at a time):
// a provider may have 10,000 orgs, so the list is never loaded whole. `allLabel` adds an
// "any organization" choice (value '') for filters.
import {
  Button,
  MenuToggle,
  Select,
  SelectList,
  SelectOption,
  TextInputGroup,
  TextInputGroupMain,
  TextInputGroupUtilities,
} from '@patternfly/react-core';
import { TimesIcon } from '@patternfly/react-icons';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, call } from '../api/client';
import { useDebounced } from './useDebounced';

interface Props {
  pid: string;
  label: string;
  value: string;
  valueName?: string;
  onChange: (id: string, name: string) => void;
  allLabel?: string;
  placeholder?: string;
}

export function OrgTypeahead({ pid, label, value, valueName, onChange, allLabel, placeholder }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [typing, setTyping] = useState(false);
  const listId = useId();
  const term = useDebounced(text.trim().replace(/[;:]/g, ' '), 200);
  const found = useQuery({
    queryKey: ['orgs', pid, 'typeahead', term],
    queryFn: () =>
      call(
        api.GET('/api/v2/providers/{pid}/organizations', {
          params: { path: { pid }, query: { limit: 20, sort: 'name', ...(term ? { filter: `name:search:${term}` } : {}) } as never },
        }),
      ) as Promise<{ results?: { id?: string; name?: string }[]; totalCount?: number }>,
    enabled: open,
    staleTime: 30_000,
    placeholderData: (prev) => prev,
  });
  const shown = typing ? text : value ? (valueName ?? value) : '';
  const options = found.data?.results ?? [];
  const more = (found.data?.totalCount ?? 0) - options.length;

  const pick = (id: string, name: string) => {
    onChange(id, name);
    setTyping(false);
    setText('');
    setOpen(false);
  };

  return (
    <Select
      isOpen={open}
      selected={value}
      onSelect={(_e, v) => {
        const id = String(v ?? '');
        pick(id, id ? (options.find((o) => o.id === id)?.name ?? id) : '');
      }}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setTyping(false);
      }}
      toggle={(ref) => (
        <MenuToggle ref={ref} variant="typeahead" isExpanded={open} onClick={() => setOpen(!open)} isFullWidth>
          <TextInputGroup isPlain>
            <TextInputGroupMain
              value={shown}
              placeholder={placeholder ?? allLabel ?? 'Type to search organizations'}
              onClick={() => setOpen(true)}
              onChange={(_e, v) => {
                setText(v);
                setTyping(true);
                setOpen(true);
              }}
              autoComplete="off"
              role="combobox"
              isExpanded={open}
              aria-controls={listId}
              aria-label={label}
            />
            {(value || text) && (
              <TextInputGroupUtilities>
                <Button variant="plain" aria-label={`Clear ${label}`} icon={<TimesIcon />} onClick={() => pick('', '')} />
              </TextInputGroupUtilities>
            )}
          </TextInputGroup>
        </MenuToggle>
      )}
    >
      <SelectList id={listId} aria-label={`${label} choices`}>
        {allLabel && <SelectOption value="">{allLabel}</SelectOption>}
        {options.map((o) => (
          <SelectOption key={o.id} value={o.id}>
            {o.name}
          </SelectOption>
        ))}
        {found.isSuccess && options.length === 0 && (
          <SelectOption isDisabled value="__none">
            No organization matches
          </SelectOption>
        )}
        {more > 0 && (
          <SelectOption isDisabled value="__more">
            {more} more: type to narrow
          </SelectOption>
        )}
      </SelectList>
    </Select>
  );
}
