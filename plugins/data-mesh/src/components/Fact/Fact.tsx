import { ReactNode } from 'react';
import Grid, { GridSize } from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '10px',
    fontWeight: 'bold',
    letterSpacing: 0.5,
    marginBottom: theme.spacing(0.5),
  },
  value: {
    fontWeight: 'bold',
    wordBreak: 'break-word',
  },
}));

/** One labelled fact in a card, styled like the catalog's About card. */
export function Fact(props: {
  label: string;
  children?: ReactNode;
  /** Grid columns out of 12 on medium screens and up. */
  width?: GridSize;
}) {
  const classes = useStyles();
  const empty =
    props.children === undefined ||
    props.children === null ||
    props.children === '';
  return (
    <Grid item xs={12} sm={6} md={props.width ?? 4}>
      <Typography variant="body2" component="div" className={classes.label}>
        {props.label}
      </Typography>
      <Typography variant="body2" component="div" className={classes.value}>
        {empty ? 'Unknown' : props.children}
      </Typography>
    </Grid>
  );
}
