import {
  createTheme,
  DEFAULT_THEME,
  type CSSVariablesResolver,
  type MenuProps,
  type ModalProps,
  type NotificationProps,
  type TableScrollContainerProps,
} from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 6 puts white text at 4.32:1 on indigo; 7 and 8 pass WCAG AA (4.5:1) in light and dark.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  // Typed by each component's props rather than built with Menu.extend() and the like, which only
  // return their argument: importing Menu, Modal and the table here would load them, and the
  // floating UI under them, with the sign-in page.
  components: {
    // A table wider than a phone scrolls sideways, its scrollbar in view to say so; no bar where it fits.
    TableScrollContainer: {
      defaultProps: { scrollAreaProps: { type: 'always', scrollbars: 'x', offsetScrollbars: 'present' } } satisfies Partial<TableScrollContainerProps>,
    },
    // Every dialog's X has a name a screen reader can say.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } satisfies Partial<ModalProps> },
    // A toast's X has a name too, and its message reads as dimmed text does (Mantine's gray-6 is 3.3:1).
    Notification: {
      defaultProps: {
        closeButtonProps: { 'aria-label': 'Close notification' },
        styles: { description: { color: 'var(--mantine-color-dimmed)' } },
      } satisfies Partial<NotificationProps>,
    },
    // The focus placeholder is a focusable "presentation" child, which a role="menu" must not hold.
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } satisfies Partial<MenuProps> },
  },
});

const outlines = Object.fromEntries(Object.keys(DEFAULT_THEME.colors).map((c) => [`--mantine-color-${c}-outline`, `var(--mantine-color-${c}-9)`]));

/** Text at WCAG AA (4.5:1) in both schemes, where Mantine's defaults fall short (ratios are the defaults'). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...outlines, // outline badges, 4.2:1
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', // 3.3:1
    '--mantine-color-error': 'var(--mantine-color-red-9)', // 3.3:1
    '--mantine-color-red-filled': 'var(--mantine-color-red-9)', // white on red, 3.8:1
    '--mantine-color-green-light-color': '#1e6b30', // ACTIVE badge, 3.8:1
    '--mantine-color-yellow-light-color': '#7a4100', // warning titles, 2.7:1
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)', // 4.0:1
    '--mantine-color-error': 'var(--mantine-color-red-4)', // 3.4:1
  },
});
