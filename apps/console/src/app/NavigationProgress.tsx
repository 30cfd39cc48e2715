import { Box, Loader, VisuallyHidden } from '@mantine/core';
import { useNavigation } from 'react-router';

/**
 * While the next page's code loads (a lazy route met for the first time), the current page stays
 * and this says so: a spinner in a slot the header always keeps, so nothing moves, and a status
 * for screen readers, there only while loading, as PageLoading's is.
 */
export function NavigationProgress() {
  const loading = useNavigation().state === 'loading';
  return (
    <Box w={18} h={18} style={{ flexShrink: 0 }}>
      {loading && (
        <>
          <Loader size={18} aria-hidden />
          <VisuallyHidden role="status">Loading the page</VisuallyHidden>
        </>
      )}
    </Box>
  );
}
