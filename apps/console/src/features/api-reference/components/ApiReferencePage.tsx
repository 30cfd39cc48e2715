import { ApiReferenceReact, type AnyApiReferenceConfiguration } from '@scalar/api-reference-react';
import '@scalar/api-reference-react/style.css';
import { Box, useComputedColorScheme } from '@mantine/core';
import { useMemo } from 'react';

/**
 * /openapi.json rendered by Scalar, bundled with the console: nothing is fetched from anywhere but
 * this server (no fonts, no telemetry, no assistant, no request proxy). A reference to read, not a
 * client: calls are made with a Bearer token or the console itself.
 */
const configuration: AnyApiReferenceConfiguration = {
  url: '/openapi.json',
  // The document names no server (it is served by the one it describes): examples use this one's address.
  servers: [{ url: window.location.origin }],
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
  hideClientButton: true,
  hideTestRequestButton: true,
  hideDarkModeToggle: true,
  documentDownloadType: 'json',
  // Muted text and the PUT and POST labels at WCAG AA (4.5:1); Scalar's own greys and oranges are 3.2:1.
  customCss: `
    .light-mode { --scalar-color-3: #595959; --scalar-color-orange: #b04000; --scalar-color-green: #006b44; }
    .dark-mode { --scalar-color-3: #a0a0a0; }
  `,
};

/** Scalar lays itself out edge to edge, its sticky parts starting below the console's header. */
const fill = { margin: 'calc(var(--app-shell-padding) * -1)', '--scalar-custom-header-height': 'var(--app-shell-header-height)' };

export function ApiReferencePage() {
  // In the console's scheme, which has the only toggle.
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const themed = useMemo(() => ({ ...configuration, forceDarkModeState: scheme }), [scheme]);
  return (
    <Box style={fill}>
      <ApiReferenceReact configuration={themed} />
    </Box>
  );
}
