// The one table of every server-paged list (Users, Devices, Organizations, a Home widget's
// detail): a toolbar (filters, the bulk "Actions (n selected)" menu, extra tools, paging),
// sortable headers that wrap instead of truncating, a selection that survives paging, row
// actions (inline links up to three, a kebab menu beyond, so wide tables fit the
// page), the error banner and the bulk progress/results.
import {
  Button,
  Dropdown,
  DropdownItem,
  DropdownList,
  MenuToggle,
  Pagination,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState, type ReactNode } from 'react';
import { BulkProgress, type ItemResult } from './BulkProgress';
import { ErrorAlert } from './ErrorAlert';

export interface Column<T> {
  title: string;
  // The API's sort field; absent: not sortable.
  sort?: string;
  cell: (row: T) => ReactNode;
}

export interface TableAction {
  id: string;
  label: string;
}

export interface Paging {
  page: number;
  perPage: number;
  onChange: (page: number, perPage: number) => void;
}

interface Props<T> {
  label: string;
  rows: T[];
  totalCount: number;
  rowKey: (row: T) => string;
  rowName: (row: T) => string;
  columns: Column<T>[];
  paging: Paging;
  sort?: { value: string; onChange: (sort: string) => void };
  filters?: ReactNode;
  tools?: ReactNode;
  // Bulk and row actions; `run` gets the chosen rows and resolves when every result is in.
  actions?: TableAction[];
  run?: (action: TableAction, rows: T[]) => Promise<void>;
  busy?: boolean;
  progress?: { done: number; total: number } | null;
  results?: ItemResult[] | null;
  error?: unknown;
  onRetry?: () => void;
  loaded: boolean;
  emptyText: string;
  onRowClick?: (row: T) => void;
  isRowSelected?: (row: T) => boolean;
}

export function ServerTable<T>(p: Props<T>) {
  const [picked, setPicked] = useState<Map<string, T>>(new Map());
  const [menu, setMenu] = useState(false);
  const actions = p.run ? (p.actions ?? []) : [];
  const selectable = actions.length > 0;
  const busy = !!p.busy || !!p.progress;
  const sortIndex = p.columns.findIndex((c) => c.sort && c.sort === p.sort?.value.replace(/^-/, ''));

  const pick = (rows: T[], on: boolean) => {
    const next = new Map(picked);
    rows.forEach((r) => (on ? next.set(p.rowKey(r), r) : next.delete(p.rowKey(r))));
    setPicked(next);
  };
  const run = async (a: TableAction, rows: T[]) => {
    setMenu(false);
    await p.run?.(a, rows);
    setPicked(new Map());
  };

  return (
    <>
      <Toolbar>
        <ToolbarContent>
          {p.filters && <ToolbarGroup>{p.filters}</ToolbarGroup>}
          {selectable && (
            <ToolbarItem>
              <Dropdown
                isOpen={menu}
                onOpenChange={setMenu}
                toggle={(ref) => (
                  <MenuToggle ref={ref} onClick={() => setMenu(!menu)} isDisabled={picked.size === 0 || busy} isExpanded={menu}>
                    Actions ({picked.size} selected)
                  </MenuToggle>
                )}
              >
                <DropdownList>
                  {actions.map((a) => (
                    <DropdownItem key={a.id + a.label} onClick={() => void run(a, [...picked.values()])}>
                      {a.label}
                    </DropdownItem>
                  ))}
                </DropdownList>
              </Dropdown>
            </ToolbarItem>
          )}
          {p.tools}
          <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
            <Pagination
              itemCount={p.totalCount}
              page={p.paging.page}
              perPage={p.paging.perPage}
              onSetPage={(_e, n) => p.paging.onChange(n, p.paging.perPage)}
              onPerPageSelect={(_e, n) => p.paging.onChange(1, n)}
              isCompact
            />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <ErrorAlert error={p.error} onRetry={p.onRetry} />
      <BulkProgress progress={p.progress ?? null} results={p.results ?? null} />
      <Table aria-label={p.label} variant="compact">
        <Thead>
          <Tr>
            {selectable && <Th select={{ onSelect: (_e, all) => pick(p.rows, all), isSelected: p.rows.length > 0 && p.rows.every((r) => picked.has(p.rowKey(r))) }} />}
            {p.columns.map((c, i) => (
              <Th
                key={c.title}
                modifier="wrap"
                sort={
                  c.sort && p.sort
                    ? {
                        sortBy: { index: sortIndex < 0 ? undefined : sortIndex, direction: p.sort.value.startsWith('-') ? 'desc' : 'asc' },
                        onSort: (_e, _i, dir) => p.sort?.onChange(dir === 'desc' ? `-${c.sort}` : (c.sort ?? '')),
                        columnIndex: i,
                      }
                    : undefined
                }
              >
                {c.title}
              </Th>
            ))}
            {selectable && <Th screenReaderText="Row actions" />}
          </Tr>
        </Thead>
        <Tbody>
          {p.rows.map((r, i) => (
            <Tr
              key={p.rowKey(r) + i}
              isClickable={!!p.onRowClick}
              isRowSelected={p.isRowSelected?.(r)}
              onRowClick={p.onRowClick ? () => p.onRowClick?.(r) : undefined}
            >
              {selectable && (
                <Td select={{ rowIndex: i, onSelect: (_e, on) => pick([r], on), isSelected: picked.has(p.rowKey(r)) }} aria-label={`Select ${p.rowName(r)}`} />
              )}
              {p.columns.map((c) => (
                <Td key={c.title} dataLabel={c.title}>
                  {c.cell(r)}
                </Td>
              ))}
              {selectable && (
                <Td isActionCell>
                  {actions.length <= 3 ? (
                    actions.map((a) => (
                      <Button key={a.id + a.label} variant="link" isInline onClick={() => void run(a, [r])} isDisabled={busy} style={{ marginRight: 8 }} aria-label={`${a.label}: ${p.rowName(r)}`}>
                        {a.label}
                      </Button>
                    ))
                  ) : (
                    <ActionsColumn
                      isDisabled={busy}
                      popperProps={{ position: 'right' }}
                      actionsToggle={({ onToggle, isOpen, isDisabled, toggleRef }) => (
                        <MenuToggle ref={toggleRef} variant="plain" onClick={onToggle} isExpanded={isOpen} isDisabled={isDisabled} aria-label={`Actions for ${p.rowName(r)}`}>
                          ⋮
                        </MenuToggle>
                      )}
                      items={actions.map((a) => ({ title: a.label, onClick: () => void run(a, [r]) }))}
                    />
                  )}
                </Td>
              )}
            </Tr>
          ))}
        </Tbody>
      </Table>
      {p.loaded && p.rows.length === 0 && <p>{p.emptyText}</p>}
    </>
  );
}

// Two facts in one cell (the second smaller, below), so wide lists fit the page.
export function Stacked({ main, sub }: { main: ReactNode; sub?: ReactNode }) {
  return (
    <>
      <div>{main}</div>
      {sub && <div style={{ fontSize: 'var(--pf-t--global--font--size--body--sm)', color: 'var(--pf-t--global--text--color--subtle)' }}>{sub}</div>}
    </>
  );
}
