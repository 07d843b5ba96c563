#VIRTUAL_ENV='/old/env'
export VIRTUAL_ENV
setenv VIRTUAL_ENV '/old/env'
set -gx VIRTUAL_ENV /old/env
set -gx PATH "$VIRTUAL_ENV"'/bin' $PATH
