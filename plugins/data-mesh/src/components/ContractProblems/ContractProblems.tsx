import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ValidationProblem } from '@backstage-data-mesh/plugin-data-mesh-common';

/** Lists the problems of an invalid contract, one `path: message` line each. */
export function ContractProblems(props: {
  title: string;
  problems: ValidationProblem[];
  severity?: 'error' | 'warning';
}) {
  return (
    <Alert severity={props.severity ?? 'error'}>
      <AlertTitle>{props.title}</AlertTitle>
      <ul aria-label="Contract problems">
        {props.problems.map((problem, index) => (
          <li key={index}>
            {problem.path || '(root)'}: {problem.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
