import { Button } from '@mantine/core';
import classes from './skip-link.module.css';

export const MAIN_ID = 'main-content';
export const mainTargetClass = classes.target;

/** The first stop of Tab on every page: past the header and the navigation, hidden until focused. */
export function SkipLink() {
  return (
    <Button
      component="a"
      href={`#${MAIN_ID}`}
      className={classes.link}
      onClick={(e) => {
        // Focus, not the fragment: a hash would add a history entry and change the address.
        e.preventDefault();
        document.getElementById(MAIN_ID)?.focus();
      }}
    >
      Skip to main content
    </Button>
  );
}
