import type { ComponentChildren } from 'preact';

interface Props {
  /** Heading of the first column ("Model", "File"). */
  first: string;
  /** The table's name, for the scrolling region around it. */
  label: string;
  testId: string;
  children: ComponentChildren;
}

/**
 * The table both model lists use: name, role, what it enables, license, size, status, actions; it
 * scrolls sideways inside its own box when the window is narrow.
 */
export function ModelTable({ first, label, testId, children }: Props) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">Role</th>
            <th scope="col">Enables</th>
            <th scope="col">License</th>
            <th scope="col">Size</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
