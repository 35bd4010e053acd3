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

/**
 * Mantine's grey with a darker shade 6: shade 6 is the light scheme's `dimmed` text (hints, dates, captions),
 * and Mantine's #868e96 is 3.3:1 on white. #646b73 is 5.4:1 on white and ≥ 4.5:1 on the light greys and blues.
 */
const gray: MantineColorsTuple = [
  '#f8f9fa',
  '#f1f3f5',
  '#e9ecef',
  '#dee2e6',
  '#ced4da',
  '#adb5bd',
  '#646b73',
  '#495057',
  '#343a40',
  '#212529',
];

/** Accessible names for Mantine's built-in icon buttons, in the current language. */
export type ThemeLabels = { close: string; togglePassword: string };

export const makeTheme = (labels: ThemeLabels) =>
  createTheme({
    primaryColor: 'loket',
    // Text on filled colours (buttons, badges, avatars) is black or white, whichever contrasts more:
    // 0.179 is the luminance where the two are equal, so either choice is at least 4.5:1.
    autoContrast: true,
    luminanceThreshold: 0.179,
    primaryShade: { light: 7, dark: 5 },
    colors: { loket, gold, gray },
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
      // The close button of notifications (toasts) and alerts.
      Notification: { defaultProps: { closeButtonProps: { 'aria-label': labels.close } } },
      Alert: { defaultProps: { closeButtonLabel: labels.close } },
      PasswordInput: {
        defaultProps: { visibilityToggleButtonProps: { 'aria-label': labels.togglePassword } },
      },
    },
  });
