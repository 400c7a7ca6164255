import type { ComponentChildren } from 'preact';

interface Props {
  /** Heading of the first column ("Model", "File"). */
  first: string;
  testId: string;
  children: ComponentChildren;
}

/** The table both model lists use: name, role, what it enables, license, size, status, actions. */
export function ModelTable({ first, testId, children }: Props) {
  return (
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
  );
}
