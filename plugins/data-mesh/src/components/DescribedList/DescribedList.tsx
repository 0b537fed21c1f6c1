import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  item: {
    padding: theme.spacing(0.5, 0),
  },
}));

export type DescribedListItem = {
  key: string;
  primary: ReactNode;
  secondary?: ReactNode;
};

/**
 * A plain list of lines with an optional second line each. MUI's ListItem is avoided because
 * it calls findDOMNode, which warns under React strict mode.
 */
export function DescribedList(props: {
  label: string;
  items: DescribedListItem[];
}) {
  const classes = useStyles();
  return (
    <ul aria-label={props.label} className={classes.list}>
      {props.items.map(item => (
        <li key={item.key} className={classes.item}>
          <Typography variant="body2" component="div">
            {item.primary}
          </Typography>
          {item.secondary && (
            <Typography variant="body2" component="div" color="textSecondary">
              {item.secondary}
            </Typography>
          )}
        </li>
      ))}
    </ul>
  );
}
