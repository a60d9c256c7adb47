import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Button } from './button.tsx';

/** A button whose press makes it busy until the test says the work is done. */
function Saver({ onSave }: { onSave: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button
        busy={busy}
        onClick={() => {
          setBusy(true);
          onSave();
        }}
      >
        Save
      </Button>
      <Button onClick={() => setBusy(false)}>Done</Button>
    </>
  );
}

describe('Button', () => {
  it('keeps keyboard focus while busy, ignores presses meanwhile, and takes the next one once done', async () => {
    const onSave = vi.fn();
    const user = userEvent.setup();
    render(<Saver onSave={onSave} />);
    const save = screen.getByRole('button', { name: 'Save' });

    save.focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(save);
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(save.getAttribute('aria-busy')).toBe('true');
    await user.keyboard('{Enter}');
    await user.click(save);
    expect(onSave).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'Done' }));
    save.focus();
    await user.keyboard('{Enter}');
    expect(onSave).toHaveBeenCalledTimes(2);
  });

  it('does not submit its form while busy or unavailable, by a press or by Enter in a field', async () => {
    const onSubmit = vi.fn((event: { preventDefault(): void }) => event.preventDefault());
    const form = (state: { busy?: boolean; disabled?: boolean }) => (
      <form onSubmit={onSubmit}>
        <input aria-label="Name" />
        <Button type="submit" {...state}>
          Register
        </Button>
      </form>
    );
    const user = userEvent.setup();
    const { rerender } = render(form({ busy: true }));
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Ada{Enter}');
    rerender(form({ disabled: true }));
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(onSubmit).not.toHaveBeenCalled();

    rerender(form({}));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '{Enter}');
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
