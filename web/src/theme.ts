import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** DKISP blue, the primary colour. */
const loket: MantineColorsTuple = [
  '#eaf2fb',
  '#d4e3f4',
  '#a7c5e8',
  '#77a5dc',
  '#4f8ad1',
  '#3779ca',
  '#2a70c8',
  '#1d5fad',
  '#13549b',
  '#0d4584',
];

/** The emblem's gold, for accents. */
const gold: MantineColorsTuple = [
  '#fff8e1',
  '#ffefcc',
  '#fddd9b',
  '#fbca64',
  '#f9ba38',
  '#f8b01c',
  '#f8ab09',
  '#dd9500',
  '#c48400',
  '#aa7100',
];

/** Accessible names for Mantine's built-in icon buttons, in the current language. */
export type ThemeLabels = { close: string; togglePassword: string };

export const makeTheme = (labels: ThemeLabels) =>
  createTheme({
    primaryColor: 'loket',
    primaryShade: { light: 7, dark: 5 },
    colors: { loket, gold },
    defaultRadius: 'md',
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
    headings: {
      fontWeight: '700',
    },
    components: {
      Button: { defaultProps: { radius: 'md' } },
      Paper: { defaultProps: { radius: 'lg' } },
      Drawer: {
        defaultProps: {
          overlayProps: { backgroundOpacity: 0.45, blur: 1 },
          closeButtonProps: { 'aria-label': labels.close },
        },
        styles: { title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } },
      },
      Modal: {
        defaultProps: {
          overlayProps: { backgroundOpacity: 0.45, blur: 1 },
          centered: true,
          closeButtonProps: { 'aria-label': labels.close },
        },
        styles: { title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } },
      },
      PasswordInput: {
        defaultProps: { visibilityToggleButtonProps: { 'aria-label': labels.togglePassword } },
      },
    },
  });
